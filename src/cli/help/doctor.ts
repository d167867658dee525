// Only the help text: `ponder doctor --help` answers without loading the command.

export const doctorHelp = `Usage: ponder doctor [--json] [--config <file>] [--home <dir>]

Checks what Ponder needs on this machine and prints ✓ or ✗ for each, with what to do about a ✗.
Required: the Python sandbox (bubblewrap), Debian's Python packages (numpy, pandas, matplotlib, scipy,
sympy, scikit-learn, statsmodels),
and a model that answers (each configured provider gets a tiny real request).
Optional: one memory budget per sandbox (a cgroup; else per-process limits only), Chromium (browser tools), Redis and PostgreSQL (work shared across machines; REDIS_URL,
DATABASE_URL), the local model cache (~/.ponder/models).
Exit code 0 when every required check passes, 1 otherwise.
--json prints an array of { check, ok, required, detail, fix }.`;
