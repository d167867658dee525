// What one sample came to. An error is neither a pass nor a fail: it is left out of accuracy
// and reported as an error rate, so an infrastructure fault never reads as a model mistake.

/** `infra`: the provider or the sandbox failed; `scorer`: the scorer could not decide; `cancelled`: the eval was stopped. */
export type ErrorKind = "infra" | "scorer" | "cancelled";

export type SampleOutcome = { status: "pass" } | { status: "fail" } | { status: "error"; kind: ErrorKind; message: string };

/** One (item, config, epoch) sample, as saved in the eval's samples file. */
export type SampleRecord = {
  key: string;
  itemId: string;
  configId: string;
  epoch: number;
  /** The run that produced the answer (for `--samples N`, the best-of parent run). */
  runId?: string;
  /** Runs given up on for infrastructure reasons before this one. */
  retriedRunIds: string[];
  retried: boolean;
  answer?: string;
  /** The normalised answer, for answer distributions and maj@k. */
  answerKey?: string;
  outcome: SampleOutcome;
  score?: number;
  reason?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** False when a model call had no known price: costUsd is then a lower bound, shown as unknown. Absent in older files: known. */
  costKnown?: boolean;
  durationMs: number;
  finishedAt: string;
};

export function isScored(sample: SampleRecord): boolean {
  return sample.outcome.status !== "error";
}

export function isPass(sample: SampleRecord): boolean {
  return sample.outcome.status === "pass";
}
