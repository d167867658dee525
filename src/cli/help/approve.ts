// Only the help text: `ponder approve --help` answers without loading the command.

export const approveHelp = `Usage: ponder approve <run-id> [<call-id>] [--no-resume]
       ponder deny <run-id> [<call-id>] [--reason "<why>"] [--no-resume]

Answers the approval requests of a run waiting in awaiting_approval: all of them, or the one
tool call named. The decision is stored with the run; then the run continues (unless
--no-resume). A denied call is never executed; the model is told it was declined.`;
