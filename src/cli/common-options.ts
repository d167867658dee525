import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../core/errors.js";

/** Options every command understands. */
export const commonOptions = {
  json: { type: "boolean" },
  config: { type: "string" },
  home: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/** Options of commands that advance a run (ask, resume, approve). */
export const runOptions = {
  model: { type: "string", short: "m" },
  "unsafe-no-sandbox": { type: "boolean" },
  yes: { type: "boolean", short: "y" },
} as const satisfies ParseArgsConfig["options"];

/** parseArgs with errors that say which flag was wrong and point at --help. */
export function parseCommandLine<Options extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  args: string[],
  options: Options,
): ReturnType<typeof parseArgs<{ args: string[]; options: Options; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new ConfigError(
      `ponder ${command}: ${error instanceof Error ? error.message : String(error)}`,
      `See \`ponder ${command} --help\`.`,
    );
  }
}
