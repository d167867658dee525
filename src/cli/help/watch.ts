// Only the help text: `ponder watch --help` answers without loading the command.

export const watchHelp = `Usage: ponder watch <run-id> [--json]

Follows a run wherever it is advancing (a worker, a background process, a server): prints each
step as it is saved, then the answer. For a strategy (best-of-N, research) it prints how its
child runs stand whenever that changes. Ctrl-C stops watching; the run goes on.
--json prints one JSON object per item as it arrives (and {"type":"children",...} lines for a
strategy), then the run's summary.
Exit code: 0 answered, 1 failed, 3 waiting for approval, 130 cancelled.`;
