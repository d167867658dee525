// Typed errors. Each carries a stable `code` and a `hint` that says what to do next, so the
// CLI can print one clear line and the server can answer with a JSON body.

export class PonderError extends Error {
  readonly code: string;
  readonly hint?: string;
  constructor(code: string, message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options?.hint;
  }
}

/** Bad configuration: a flag, env variable or config file field. */
export class ConfigError extends PonderError {
  constructor(message: string, hint?: string) {
    super("config_error", message, { hint });
  }
}

/**
 * A run option that cannot be honoured with this model or these tools (a client tool whose name
 * is taken, a temperature for a model that takes none): refused before the run starts, never
 * dropped. `option` is the option's path (e.g. `clientTools.1.name`, `sampling.temperature`).
 */
export class UnsupportedOptionError extends PonderError {
  constructor(
    readonly option: string,
    message: string,
    hint?: string,
  ) {
    super("unsupported_parameter", message, { hint });
  }
}

/** No model could be found or built from what the user configured. */
export class ModelNotConfiguredError extends PonderError {
  constructor(message: string, hint: string) {
    super("model_not_configured", message, { hint });
  }
}

/** A model call failed. `retryable` says whether trying again could help. */
export class ModelCallError extends PonderError {
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  constructor(message: string, details: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown; hint?: string }) {
    super("model_call_failed", message, { hint: details.hint, cause: details.cause });
    this.status = details.status;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** A tool failed in a way the model should read and react to (bad input, a failing command). */
export class ToolError extends PonderError {
  constructor(message: string) {
    super("tool_error", message);
  }
}

/** A tool's infrastructure failed (sandbox died, server unreachable): not the model's fault. */
export class ToolInfraError extends PonderError {
  constructor(message: string, cause?: unknown) {
    super("tool_infra_error", message, { cause });
  }
}

/** The sandbox needed for code execution is missing; Ponder refuses rather than run unsandboxed. */
export class SandboxUnavailableError extends PonderError {
  constructor(message: string, hint: string) {
    super("sandbox_unavailable", message, { hint });
  }
}

export class RunNotFoundError extends PonderError {
  constructor(runId: string) {
    super("run_not_found", `No run with id ${runId}.`, { hint: "List runs with `ponder runs`." });
  }
}

/**
 * A checkpoint refused because another process took the run over (this one stalled past its
 * lease): the process that gets it must stop advancing the run and write nothing more.
 */
export class RunTakenOverError extends PonderError {
  constructor(runId: string) {
    super("run_taken_over", `Run ${runId} is now advanced by another process; this one stops without writing.`);
  }
}

export class InvalidRunStateError extends PonderError {
  constructor(message: string, hint?: string) {
    super("invalid_run_state", message, { hint });
  }
}

/** A follow-up asked of a conversation whose latest turn has not finished (the server answers 409). */
export class ConversationBusyError extends PonderError {
  /** `status` is the latest turn's, or "continued" when another follow-up of that turn won a race to it. */
  constructor(
    readonly runId: string,
    status: string,
  ) {
    super(
      "conversation_busy",
      status === "continued"
        ? `Run ${runId} was just continued by another follow-up; this one was not started, so that the conversation does not fork.`
        : `The conversation's latest turn, run ${runId}, is ${status}; a follow-up waits until it has finished.`,
      {
        hint:
          status === "continued"
            ? "Send it again once that follow-up has finished: it then continues from the conversation's latest turn."
            : status === "running"
              ? "Wait for it, steer it (`ponder steer`), or cancel it first."
              : `Resume it (\`ponder resume ${runId}\`) or cancel it first.`,
      },
    );
  }
}

export class CancelledError extends PonderError {
  constructor(message = "The run was cancelled.") {
    super("cancelled", message);
  }
}

/**
 * The abort reason of a run stopped because its process is shutting down: the run is left
 * `paused` (stop reason `suspended`) to be resumed later, and is never recorded as cancelled.
 */
export class SuspendedError extends CancelledError {
  constructor() {
    super("The run's process is shutting down; the run is paused and can be resumed.");
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof CancelledError || (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError"));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
