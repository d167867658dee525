// Only the help text: `ponder serve --help` answers without loading the command.

export const serveHelp = `Usage: ponder serve [--port 8787] [--host 127.0.0.1] [--models <id,id>] [--allowed-host <name>]...

Serves Ponder over HTTP: OpenAI-compatible /v1/models, /v1/chat/completions and /v1/responses
(model names ponder/<provider:model>; background responses), and the runs API (/v1/runs: create,
list, events over SSE, approve, deny, steer, cancel, artifacts). Runs use this machine's provider
configuration (OPENAI_API_KEY, OPENAI_BASE_URL, ponder.config.json, ...).

Without an API key (\`ponder keys create\`) the server listens on 127.0.0.1 only.
--models adds models to /v1/models beside the default. The server answers only requests
addressed to localhost, 127.0.0.1 or [::1] (and, bound beyond loopback, to an IP address);
--allowed-host <name>[:port] (repeatable) adds a name you reach it by, such as a reverse
proxy's. Requests from web pages of other origins are refused. SIGTERM or Ctrl-C stops it gracefully:
runs in progress stop at their next checkpoint and stay resumable. See docs/server.md.`;
