// The shape every `ponder doctor` check reports, and how a check that throws is still reported.

import { errorMessage } from "../../core/errors.js";

export type DoctorResult = {
  /** What was checked, e.g. "Python sandbox (bubblewrap)". */
  check: string;
  ok: boolean;
  /** Required checks decide the exit code; optional ones only inform. */
  required: boolean;
  /** What was found: a path, a version, an error. */
  detail: string;
  /** What to do about a failure; empty when ok. */
  fix: string;
};

/** Runs a check; an unexpected throw becomes a failed result rather than ending the whole report. */
export async function safely(
  check: string,
  required: boolean,
  fix: string,
  run: () => Promise<DoctorResult | DoctorResult[]>,
): Promise<DoctorResult[]> {
  try {
    const result = await run();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    return [{ check, ok: false, required, detail: errorMessage(error), fix }];
  }
}
