import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway PONDER_HOME for one test; remove() deletes it. */
export function temporaryHome(): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), "ponder-home-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs `body` with a database path in a throwaway directory, removed afterwards. */
export async function withDatabasePath(body: (path: string) => Promise<void>): Promise<void> {
  const home = temporaryHome();
  try {
    await body(join(home.path, "ponder.db"));
  } finally {
    home.remove();
  }
}
