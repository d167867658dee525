import type { RunStatus } from "../api/api-types.js";
import { statusLabel } from "../format/format-values.js";

/**
 * A run's status. `interrupted`: the run is stored as running but the process advancing it is
 * gone (the server checks), so it reads "interrupted", never "running" forever.
 */
export function StatusBadge({ status, interrupted = false }: { status: RunStatus; interrupted?: boolean }) {
  if (interrupted && status === "running") return <span className="status status-interrupted">interrupted</span>;
  return <span className={`status status-${status}`}>{statusLabel(status)}</span>;
}
