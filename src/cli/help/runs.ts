// Only the help text: `ponder runs --help` answers without loading the command.
import { runStatuses } from "../../core/run.js";

export const runsHelp = `Usage: ponder runs [--status <status>] [--parent <run-id>] [--limit <n>] [--after <run-id>] [--json]

Lists runs, newest first. Status: ${runStatuses.join(", ")}.
--parent lists a strategy's child runs (best-of-N samples, research readers).
--after lists the runs older than that one: the next page after a list's last run.
A run shown as "interrupted" lost its process; continue it with \`ponder resume <id>\`.
--json prints an array of objects (id, status, created_at, model, input, answer, usage, ...).`;
