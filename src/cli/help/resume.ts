// Only the help text: `ponder resume --help` answers without loading the command.

export const resumeHelp = `Usage: ponder resume <run-id> [--model <provider:model>] [--json] [-y]

Continues a run from its last checkpoint: one whose process died, one that failed (for
example on a bad API key, now fixed), or one that was waiting for approvals.
Tool calls that had finished are not run again. A call that was running when the process
stopped is run again only if its tool declares repeating it safe (read-only tools, idempotent
tools); otherwise the model is told its outcome is unknown and to check before repeating it.`;
