import { homedir } from "node:os";
import { join, resolve } from "node:path";

/** Where Ponder keeps its database, run workspaces and caches: PONDER_HOME or ~/.ponder. */
export function ponderHome(env: Record<string, string | undefined>, override?: string): string {
  return resolve(override ?? env.PONDER_HOME ?? join(homedir(), ".ponder"));
}

export function databasePathOf(home: string, env: Record<string, string | undefined>): string {
  return env.PONDER_DB ? resolve(env.PONDER_DB) : join(home, "ponder.db");
}

export function runWorkspaceOf(home: string, runId: string): string {
  return join(home, "runs", runId, "workspace");
}
