// Only the help text: `ponder show --help` answers without loading the command.

export const showHelp = `Usage: ponder show <run-id> [--json] [--full]

Prints a run: its question, every step (reasoning, tool calls and results), artifacts, usage and answer.
A turn of a conversation also lists the conversation's turns (each with its usage) and their total.
A strategy's run also lists its child runs (best-of-N samples, research planner, readers and writer).
--full prints tool results and reasoning in full instead of one line each.`;
