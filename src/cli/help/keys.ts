// Only the help text: `ponder keys --help` answers without loading the command.

export const keysHelp = `Usage: ponder keys create [--tenant <name>] [--json]
       ponder keys list [--json]
       ponder keys revoke <key-id>

API keys for \`ponder serve\`. A key is shown once, when it is created; only a salted hash is
stored. Without --tenant the key is yours, the local user's (tenant "local"): with it the web UI
and the API see every run on this machine, the CLI's included, as the CLI does. A key of another
tenant (--tenant alice) sees only the runs made with that tenant's keys. Once any key exists the
server requires one on every request and may listen beyond 127.0.0.1.`;
