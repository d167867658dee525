// Only the help text: `ponder mcp --help` answers without loading the command.

export const mcpHelp = `Usage: ponder mcp [options]                 (stdio: an MCP client starts it)
       ponder mcp --http [--port 8788] [--host 127.0.0.1] [--allowed-host <name>]...

Serves Ponder to MCP clients (Claude Desktop, Claude Code, Cursor, other agents) with the tools
ask, research, best_of_n, run_status and run_cancel. Every call is a normal Ponder run in the
store: \`ponder runs\` and \`ponder show <id>\` see it. Background runs go on in this process;
when it stops, single runs are left paused (\`ponder resume\`). See docs/mcp-server.md.

Options:
  --http                         Streamable HTTP at http://<host>:<port>/mcp instead of stdio
  --port <n>                     with --http (default 8788; 0 picks a free port)
  --host <address>               with --http (default 127.0.0.1; others only once an API key exists,
                                 \`ponder keys create\`, and then every request needs one)
  --allowed-host <name>[:port]   with --http: a name it answers to besides localhost (repeatable);
                                 requests by other names and from web pages are refused
  -m, --model <provider:model>   the model when a call names none (default: PONDER_MODEL, the config file)
  -y, --yes                      approve every tool call the policy would ask a person about
  --unsafe-no-sandbox            run code without bubblewrap (only if you accept the risk)
  --config <file>                config file (default ./ponder.config.json)
  --home <dir>                   Ponder's data directory (default ~/.ponder)`;
