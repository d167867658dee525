import type { RunStatus } from "../api/api-types.js";
import { statusLabel } from "../format/format-values.js";

export function StatusBadge({ status }: { status: RunStatus }) {
  return <span className={`status status-${status}`}>{statusLabel(status)}</span>;
}
