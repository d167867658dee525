// Only the help text: `ponder chat --help` answers without loading the command.

export const chatHelp = `Usage: ponder chat [--continue <id>] [options]

An interactive conversation: each message you send is a turn (a run) that sees the earlier turns
and works in their workspace. Each turn's steps show live on stderr, its answer on stdout.
Ctrl-C cancels the turn in progress, not the chat. Without a terminal, messages are read from
stdin, one a line.

Commands: /usage  each turn's usage and the conversation's total
          /exit   leave (or Ctrl-D); continue later with ponder chat --continue <id>

Options:
  --continue <id>                continue a conversation (any of its turns, or its id); its turns are shown first
  -m, --model <provider:model>   the model (default: the conversation's, else the configured one)
  --effort <level>               minimal | low | medium | high, for every turn (default medium: a chat is not routed)
  --tools <a,b>                  tools the turns may use (default: all built-in)
  -y, --yes                      approve every tool call the policy would ask about
  --unsafe-no-sandbox            run code without bubblewrap (only if you accept the risk)
  --config <file>, --home <dir>  as for ponder ask`;
