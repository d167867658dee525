// Only the help text: `ponder keys --help` answers without loading the command.

export const keysHelp = `Usage: ponder keys create [--tenant <name>] [--json]
       ponder keys list [--json]
       ponder keys revoke <key-id>

API keys for \`ponder serve\`. A key is shown once, when it is created; only a salted hash is
stored. Every run belongs to the tenant of the key that created it, and a tenant sees only its
own runs (default tenant: "default"). Once any key exists the server requires one on every
request and may listen beyond 127.0.0.1.`;
