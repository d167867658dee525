import type { RunRecord, RunSpec } from "../core/run.js";

// A run's spec (its input, which may be a long document, its tools, its budget) never changes,
// yet every checkpoint stores the whole record: the spec is serialised once and spliced in.
const specJson = new WeakMap<RunSpec, string>();

/** The record as stored: the same JSON as JSON.stringify gives, with `spec` last. */
export function recordJson(record: RunRecord): string {
  const { spec, ...rest } = record;
  let spliced = specJson.get(spec);
  if (spliced === undefined) {
    spliced = JSON.stringify(spec);
    specJson.set(spec, spliced);
  }
  return `${JSON.stringify(rest).slice(0, -1)},"spec":${spliced}}`;
}
