// Only the help text: `ponder runs --help` answers without loading the command.
import { runStatuses } from "../../core/run.js";

export const runsHelp = `Usage: ponder runs [--status <status>] [--all | --parent <run-id>] [--limit <n>] [--after <run-id>] [--json]

Lists the questions asked (top-level runs), newest first, 50 at a time. Status: ${runStatuses.join(", ")}.
A strategy's child runs (best-of-N samples, research planner, readers and writer) are not listed:
--parent lists one run's children (\`ponder show <run-id>\` shows them too), --all lists every run.
--after lists the runs older than that one: the next page after a list's last run.
A run shown as "interrupted" lost its process; continue it with \`ponder resume <id>\`.
--json prints an array of objects (id, status, created_at, parent_id, model, input, answer, usage, ...).`;
