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

  /** Set by `configureLogging({ gather: true })`: lines logged in one turn of the event loop go out in one write after it. */
  gather = false;
  private gathered: string[] | undefined;

  write(line: string): void {
    const text = this.format === "json" ? line : this.prettify(line);
    if (!this.gather) {
      this.output.write(text);
      return;
    }
    if (!this.gathered) {
      this.gathered = [];
      setImmediate(() => this.flush());
    }
    this.gathered.push(text);
  }

  /** Writes the lines gathered so far; also called as the process exits, so none is lost. */
  flush(): void {
    const lines = this.gathered;
    this.gathered = undefined;
    if (lines && lines.length > 0) this.output.write(lines.join(""));
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
 * PONDER_LOG is unset (the CLI's own commands show warnings and errors only). With `gather`
 * (servers and workers, which log a line or two per run), the lines of one turn of the event
 * loop are written together after it: stderr to a pipe is written synchronously, one system call
 * per write, and a worker finishing 20 runs in one turn made 20 of them. Lines still gathered
 * when the process exits are written as it exits.
 */
export function configureLogging(options: {
  format: LogFormat;
  level?: string;
  output?: { write(text: string): unknown };
  gather?: boolean;
}): void {
  destination.flush();
  destination.format = options.format;
  if (options.output) destination.output = options.output;
  if (options.gather && !destination.gather) process.once("exit", () => destination.flush());
  destination.gather = options.gather ?? false;
  root.level = logLevelFromEnvironment(process.env, options.level ?? "info");
}

/** A `.catch` handler for a failure that must not stop the caller: logs it at `level`, then yields undefined. */
export function logged(log: Logger, level: "debug" | "info" | "warn" | "error", message: string): (error: unknown) => undefined {
  return (error) => {
    log[level]({ err: error }, message);
    return undefined;
  };
}
