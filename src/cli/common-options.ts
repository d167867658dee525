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

/** parseArgs with errors that say which flag was wrong, the closest known one, and point at --help. */
export function parseCommandLine<Options extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  args: string[],
  options: Options,
): ReturnType<typeof parseArgs<{ args: string[]; options: Options; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const help = `See \`ponder ${command} --help\`.`;
    const unknown = code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ? /'(-[^']*)'/.exec(message ?? "")?.[1] : undefined;
    if (unknown !== undefined) {
      const known = Object.entries(options).flatMap(([name, option]) => [`--${name}`, ...(option.short ? [`-${option.short}`] : [])]);
      const suggestion = closest(unknown.split("=")[0] ?? unknown, known);
      throw new ConfigError(`ponder ${command}: unknown option ${unknown}.`, suggestion ? `Did you mean ${suggestion}? ${help}` : help);
    }
    // Node's own text for the other mistakes (a missing value, a value given to a switch) is already clear.
    throw new ConfigError(`ponder ${command}: ${message ?? String(error)}`, help);
  }
}

/** The known flag nearest to `given` (edit distance at most a third of its length, or a prefix of it), if any. */
function closest(given: string, known: string[]): string | undefined {
  let best: { flag: string; distance: number } | undefined;
  for (const flag of known) {
    const distance = flag.startsWith(given) || given.startsWith(flag) ? 1 : editDistance(given, flag);
    if (distance <= Math.max(2, Math.floor(flag.length / 3)) && (best === undefined || distance < best.distance)) best = { flag, distance };
  }
  return best?.flag;
}

function editDistance(left: string, right: string): number {
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i++) {
    const current = [i];
    for (let j = 1; j <= right.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[right.length] ?? 0;
}
