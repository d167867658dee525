import { ConfigError } from "../../core/errors.js";
import { openMcpProcess } from "../../server/mcp/mcp-context.js";
import { startMcpHttp } from "../../server/mcp/mcp-http.js";
import { startMcpStdio } from "../../server/mcp/mcp-stdio.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { parsePositiveInteger } from "../parse-duration.js";
import { mcpHelp } from "../help/mcp.js";

export { mcpHelp } from "../help/mcp.js";

export async function mcpCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine("mcp", args, {
    ...commonOptions,
    ...runOptions,
    http: { type: "boolean" },
    port: { type: "string" },
    host: { type: "string" },
    "allowed-host": { type: "string", multiple: true },
  });
  if (values.help) {
    process.stdout.write(`${mcpHelp}\n`);
    return 0;
  }
  if (!values.http && (values.port !== undefined || values.host !== undefined || values["allowed-host"] !== undefined)) {
    throw new ConfigError("--port, --host and --allowed-host are for --http.", "Add --http, or leave them out for stdio.");
  }
  const port = values.port === undefined ? 8788 : values.port === "0" ? 0 : parsePositiveInteger(values.port, "--port");
  if (port > 65_535) throw new ConfigError(`--port ${port}: ports go up to 65535.`);
  if (!values.http) {
    // Over stdio, stdout is the protocol: a library's stray console.log would break the client's parser.
    console.log = console.info = console.debug = console.error;
  }
  const shared = openMcpProcess({
    model: values.model,
    home: values.home,
    configPath: values.config,
    unsafeNoSandbox: values["unsafe-no-sandbox"],
    approveAll: values.yes,
  });
  try {
    if (values.http) {
      const server = await startMcpHttp(shared, { port, host: values.host, allowedHosts: values["allowed-host"] ?? [] });
      if (!server.keysRequired && values.host !== undefined && values.host !== server.host) {
        process.stderr.write(
          `No API key is configured, so the server listens on ${server.host} only (not ${values.host}). Create one with \`ponder keys create\` to serve other machines.\n`,
        );
      }
      process.stderr.write(`Ponder's MCP server is listening on ${server.url}\n`);
      await stopSignal();
      process.stderr.write("Stopping: runs in progress here are stopped; single runs stay resumable…\n");
      await server.close();
    } else {
      const server = await startMcpStdio(shared);
      await Promise.race([server.disconnected, stopSignal()]);
      await server.close();
    }
  } finally {
    await shared.close();
  }
  return 0;
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      resolve();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
