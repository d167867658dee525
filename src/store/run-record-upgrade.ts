import type { RunRecord } from "../core/run.js";
import { runSchemaVersion } from "../core/run.js";
import { InvalidRunStateError } from "../core/errors.js";
import { emptyUsage } from "../core/budget.js";

/**
 * Brings a stored run record up to the current schema version. Each past version gets one
 * upgrade step here when the shape changes; the fixture corpus in test/fixtures/runs proves
 * that runs saved by older versions keep loading.
 */
export function upgradeRunRecord(raw: unknown): RunRecord {
  if (typeof raw !== "object" || raw === null) throw new InvalidRunStateError("A stored run is not an object.");
  const record = raw as Partial<RunRecord>;
  const version = record.schemaVersion ?? 1;
  if (version > runSchemaVersion) {
    throw new InvalidRunStateError(
      `Run ${String(record.id)} was saved by a newer Ponder (schema ${version}; this one reads up to ${runSchemaVersion}).`,
      "Upgrade Ponder to open it.",
    );
  }
  return { ...record, schemaVersion: runSchemaVersion, usage: { ...emptyUsage(), ...record.usage } } as RunRecord;
}
