import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { runStoreContract } from "./run-store-contract.js";

runStoreContract("sqlite", async () => {
  const directory = mkdtempSync(join(tmpdir(), "ponder-store-"));
  const path = join(directory, "ponder.db");
  return { open: () => new SqliteRunStore(path), remove: async () => rmSync(directory, { recursive: true, force: true }) };
});
