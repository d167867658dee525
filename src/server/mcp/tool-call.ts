// How every run-starting tool (ask, research, best_of_n) answers a call: start the run, then
// either return its id at once (background) or wait for it, with progress notifications when
// the client asked for them and the request's cancellation cancelling the run.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { McpSession } from "./mcp-context.js";
import { progressReporterOf, type ProgressReporter, type ToolCallExtra } from "./mcp-progress.js";
import type { StartedJob } from "./run-jobs.js";
import { errorResult, startedResult } from "./tool-results.js";

export type JobStart = {
  background: boolean;
  /** Strategies run child runs: their events are told as the children's. */
  strategy: boolean;
  /** Starts the run; throws for what stops it from starting (an unknown model, no model configured). */
  start: (progress: ProgressReporter | undefined) => Promise<StartedJob>;
};

export async function callJob(session: McpSession, extra: ToolCallExtra, request: JobStart): Promise<CallToolResult> {
  // A background call returns before the run does anything worth reporting.
  const progress = request.background ? undefined : progressReporterOf(extra, { strategy: request.strategy });
  let job: StartedJob;
  try {
    job = await request.start(progress);
  } catch (error) {
    return errorResult(error);
  }
  session.jobs.add(job);
  if (request.background) return startedResult(job.runId, job.kind);
  const cancel = () => job.cancel();
  extra.signal.addEventListener("abort", cancel, { once: true });
  if (extra.signal.aborted) job.cancel();
  try {
    const result = await job.outcome;
    await progress?.flush();
    return result;
  } finally {
    extra.signal.removeEventListener("abort", cancel);
  }
}

/**
 * Starts a strategy and resolves with its parent run's id as soon as that run exists (the
 * strategy's first child-started event names it), or with the strategy's result if it ended
 * before any child started; rejects when the strategy could not start at all.
 */
export async function startStrategy<Result extends { runId: string }>(
  run: (onParentKnown: (runId: string) => void) => Promise<Result>,
): Promise<{ runId: string; running: Promise<Result> }> {
  let announce: (runId: string) => void = () => undefined;
  const announced = new Promise<string>((resolve) => (announce = resolve));
  const running = run((runId) => announce(runId));
  const runId = await Promise.race([announced, running.then((result) => result.runId)]);
  return { runId, running };
}
