// A broken environment gets a clear message, exit 2 and no stack trace from every command that
// opens the run store: a database file that is not a database, one whose pages are damaged, a
// home directory Ponder cannot create, a full disk, a PostgreSQL store nothing answers for. The
// damaged file is left exactly as it was.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { closedPort } from "../support/closed-port.js";
import { cliPath, runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

// Commands that open the store, each as a user would type it.
const storeCommands: string[][] = [
  ["runs"],
  ["show", "run_missing"],
  ["ask", "--model", "openai:gpt-5-mini", "--effort", "medium", "--tools", "", "What is the answer?"],
  ["export", "run_missing"],
  ["serve", "--port", "0"],
];
// The provider is never reached: the store fails first.
const providerEnv = { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };

const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

const homes: { remove: () => void }[] = [];
after(() => {
  for (const home of homes) home.remove();
});

function newHome(): string {
  const home = temporaryHome();
  homes.push(home);
  return home.path;
}

/** A real Ponder database with rows in it, then every page after the first (the schema) overwritten. */
async function damagedDatabase(path: string): Promise<void> {
  const store = new SqliteRunStore(path);
  await store.close();
  const database = new Database(path);
  const insert = database.prepare("INSERT INTO items (run_id, seq, step, created_at, item) VALUES (?, ?, 1, '2026-01-01', ?)");
  for (let seq = 0; seq < 200; seq++) insert.run("run_damaged", seq, JSON.stringify({ type: "note", text: "x".repeat(200) }));
  database.close();
  const bytes = readFileSync(path);
  const pageSize = bytes.readUInt16BE(16);
  bytes.fill(0xa5, pageSize);
  writeFileSync(path, bytes);
}

const brokenDatabases: { kind: string; make: (path: string) => void | Promise<void> }[] = [
  { kind: "a file that is not a database", make: (path) => writeFileSync(path, "These are my notes, not a database.\n".repeat(300)) },
  { kind: "a database with damaged pages", make: damagedDatabase },
];

for (const { kind, make } of brokenDatabases) {
  describe(`the run database is ${kind}`, () => {
    for (const args of storeCommands) {
      it(`ponder ${args[0]}: exit 2, names the file and what to do, leaves it untouched`, async () => {
        const home = newHome();
        const database = join(home, "ponder.db");
        await make(database);
        const before = digest(database);
        const result = await runCli(args, { PONDER_HOME: home, ...providerEnv });
        assert.equal(result.code, 2, result.stderr);
        assert.match(
          result.stderr,
          new RegExp(`The run database ${database.replaceAll(".", "\\.")} is damaged or is not a Ponder database`),
        );
        assert.match(result.stderr, /Move it aside \(mv .*\.damaged"\)/);
        assert.doesNotMatch(result.stderr, /\n\s+at |unexpected error/, "no stack trace");
        assert.equal(digest(database), before, "the file is left as it was");
      });
    }
  });
}

describe("Ponder's home cannot be created", () => {
  for (const args of storeCommands) {
    it(`ponder ${args[0]}: exit 2 and says the home is not writable`, async () => {
      // A regular file where a directory should be: even root cannot create a directory under it.
      const parent = newHome();
      writeFileSync(join(parent, "not-a-directory"), "");
      const home = join(parent, "not-a-directory", "ponder");
      const result = await runCli(args, { PONDER_HOME: home, ...providerEnv });
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        new RegExp(`Ponder cannot create or write its run database ${join(home, "ponder.db").replaceAll(".", "\\.")}`),
      );
      assert.match(result.stderr, /point PONDER_HOME .* somewhere writable/);
      assert.doesNotMatch(result.stderr, /\n\s+at |unexpected error/, "no stack trace");
    });
  }
});

describe("the PostgreSQL store cannot be reached", () => {
  for (const args of [["runs"], ["show", "run_missing"]]) {
    it(`ponder ${args[0]}: exit 2, names where it looked (without the password) and what to check`, async () => {
      const port = await closedPort();
      const result = await runCli(args, { PONDER_HOME: newHome(), DATABASE_URL: `postgres://ponder:secret@127.0.0.1:${port}/runs` });
      assert.equal(result.code, 2, result.stderr);
      assert.match(
        result.stderr,
        new RegExp(`Ponder cannot use its PostgreSQL store at 127\\.0\\.0\\.1:${port}/runs \\(connect ECONNREFUSED`),
      );
      assert.match(result.stderr, /Check that PostgreSQL is running there/);
      assert.doesNotMatch(result.stderr, /secret/);
      assert.doesNotMatch(result.stderr, /\n\s+at |unexpected error/, "no stack trace");
    });
  }
});

describe("the disk holding Ponder's home is full", () => {
  it("ponder runs: exit 2 and says the disk is full", () => {
    // A 64 KB tmpfs as the home, mounted in a mount namespace of the command's own (no root needed).
    const home = newHome();
    const mountAndRun = 'mount -t tmpfs -o size=64k tmpfs "$0" && exec "$@"';
    const result = spawnSync("unshare", ["-rm", "sh", "-c", mountAndRun, home, process.execPath, cliPath, "runs"], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PONDER_HOME: home },
      encoding: "utf8",
    });
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`The disk holding ${join(home, "ponder.db").replaceAll(".", "\\.")} is full`));
    assert.match(result.stderr, /Free some space there, or point PONDER_HOME/);
    assert.doesNotMatch(result.stderr, /\n\s+at |unexpected error/, "no stack trace");
  });
});
