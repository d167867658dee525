// Messages for a server that could not start, written for the person who configured it: what
// went wrong in words, the end of what the server wrote to stderr, and where to fix it.
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { errorMessage } from "../../core/errors.js";
import { defaultStartupTimeoutMs, isHttpServer, type McpServerSettings } from "./mcp-server-settings.js";

/** Why a start failed. Arguments and URL queries are left out: they may hold secrets. */
export function startFailureMessage(name: string, settings: McpServerSettings, error: unknown, stderr: string): string {
  const where = isHttpServer(settings) ? `at ${urlWithoutQuery(settings.url)}` : `(${settings.command})`;
  let reason = errorMessage(error);
  if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
    reason = `it did not finish starting within ${durationText(settings.startupTimeoutMs ?? defaultStartupTimeoutMs)}`;
  } else if (error instanceof McpError && error.code === ErrorCode.ConnectionClosed) {
    reason = "it exited before it finished starting";
  } else if (!isHttpServer(settings) && error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT") {
    reason = `the command "${settings.command}" was not found (is it installed, and on the PATH?)`;
  }
  return [
    `The MCP server "${name}" ${where} could not start: ${reason}.`,
    ...(stderr ? [`Its stderr ended with:\n${lastLines(stderr)}`] : []),
    `Check mcpServers.${name} in the config.`,
  ].join("\n");
}

export function durationText(milliseconds: number): string {
  return milliseconds < 1000 ? `${milliseconds} ms` : `${Math.round(milliseconds / 1000)} s`;
}

export function lastLines(text: string): string {
  return text.split("\n").slice(-5).join("\n");
}

function urlWithoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}
