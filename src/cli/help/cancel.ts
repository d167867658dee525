// Only the help text: `ponder cancel --help` answers without loading the command.

export const cancelHelp = `Usage: ponder cancel <run-id> [--json]

Cancels a run. A run that no process is advancing (queued, waiting for approval, failed,
interrupted) is cancelled at once; a running one is stopped by the process advancing it, which
notices the request within a second and stops its model call and tools.`;
