import { ConfigError } from "../../core/errors.js";
import { startPonderServer } from "../../server/ponder-server.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { parsePositiveInteger } from "../parse-duration.js";
import { serveHelp } from "../help/serve.js";

export { serveHelp } from "../help/serve.js";

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine("serve", args, {
    ...commonOptions,
    port: { type: "string" },
    host: { type: "string" },
    models: { type: "string" },
    "allowed-host": { type: "string", multiple: true },
  });
  if (values.help) {
    process.stdout.write(`${serveHelp}\n`);
    return 0;
  }
  const port = values.port === undefined ? 8787 : values.port === "0" ? 0 : parsePositiveInteger(values.port, "--port");
  if (port > 65_535) throw new ConfigError(`--port ${port}: ports go up to 65535.`);
  const models = (values.models ?? "")
    .split(",")
    .map((model) => model.trim())
    .filter((model) => model !== "");
  const server = await startPonderServer({
    port,
    host: values.host,
    home: values.home,
    configPath: values.config,
    models,
    allowedHosts: values["allowed-host"] ?? [],
  });
  if (!server.keysRequired) {
    const moved = values.host !== undefined && values.host !== server.host ? ` (not ${values.host})` : "";
    process.stderr.write(
      `No API key is configured, so the server listens on ${server.host} only${moved}. Create one with \`ponder keys create\` to serve other machines.\n`,
    );
  }
  process.stderr.write(`Ponder is serving on ${server.url}/v1\nThe web UI: ${server.url}/\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
      process.stderr.write("Stopping: runs in progress stop at their next checkpoint and stay resumable…\n");
      resolve();
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
  await server.close();
  process.stderr.write("Stopped.\n");
  return 0;
}
