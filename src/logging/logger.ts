// Ponder's one logger (pino). Every module takes a child named after its component at import
// time; where the lines go is decided later by the entry point (`configureLogging`): JSON lines
// for `ponder serve` and workers (log collectors read them), one readable line per entry for the
// rest of the CLI. The level comes from PONDER_LOG (trace, debug, info, warn, error, fatal,
// silent). Logs go to stderr, so a command's own output on stdout stays clean.
import { createRequire } from "node:module";
import { pino, type DestinationStream, type Logger } from "pino";
import type PinoPretty from "pino-pretty";

export type { Logger } from "pino";

export type LogFormat = "json" | "pretty";

const levels = new Set(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

/** The level PONDER_LOG asks for; `fallback` when it is unset or names no level. */
export function logLevelFromEnvironment(environment: NodeJS.ProcessEnv = process.env, fallback = "info"): string {
  const asked = environment.PONDER_LOG?.trim().toLowerCase();
  return asked !== undefined && levels.has(asked) ? asked : fallback;
}

/** The format PONDER_LOG_FORMAT asks for, or `fallback`. */
export function logFormatFromEnvironment(environment: NodeJS.ProcessEnv, fallback: LogFormat): LogFormat {
  const asked = environment.PONDER_LOG_FORMAT?.trim().toLowerCase();
  return asked === "json" || asked === "pretty" ? asked : fallback;
}

/** Where every logger writes: swapped by `configureLogging`, so children made at import follow it. */
class SwitchableDestination implements DestinationStream {
  format: LogFormat = "json";
  output: { write(text: string): unknown } = process.stderr;
  private pretty: ((line: string) => string) | undefined;

  write(line: string): void {
    this.output.write(this.format === "json" ? line : this.prettify(line));
  }

  /** pino-pretty takes ~100 ms to load: only a command that writes a readable line pays for it. */
  private prettify(line: string): string {
    if (!this.pretty) {
      const { prettyFactory } = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
      this.pretty = prettyFactory({
        colorize: false,
        ignore: "pid,hostname,component",
        messageFormat: "{if component}{component}: {end}{msg}",
        translateTime: "SYS:HH:MM:ss",
      });
    }
    return this.pretty(line);
  }
}

const destination = new SwitchableDestination();
const root: Logger = pino(
  { level: logLevelFromEnvironment(), formatters: { level: (label) => ({ level: label }) }, timestamp: pino.stdTimeFunctions.isoTime },
  destination,
);

/** The logger of one component (`store`, `server`, `tools.mcp`, ...). */
export function logger(component: string): Logger {
  return root.child({ component });
}

/**
 * Chooses the format and, for tests, the output. The level is PONDER_LOG's, or `level` when
 * PONDER_LOG is unset (the CLI's own commands show warnings and errors only).
 */
export function configureLogging(options: { format: LogFormat; level?: string; output?: { write(text: string): unknown } }): void {
  destination.format = options.format;
  if (options.output) destination.output = options.output;
  root.level = logLevelFromEnvironment(process.env, options.level ?? "info");
}

/** A `.catch` handler for a failure that must not stop the caller: logs it at `level`, then yields undefined. */
export function logged(log: Logger, level: "debug" | "info" | "warn" | "error", message: string): (error: unknown) => undefined {
  return (error) => {
    log[level]({ err: error }, message);
    return undefined;
  };
}
