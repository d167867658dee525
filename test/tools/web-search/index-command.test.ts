import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ConfigError } from "../../../src/core/errors.js";
import { indexCommand, indexHelp } from "../../../src/cli/commands/index-command.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { documentFolder } from "./search-test-support.js";

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await indexCommand(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    color: false,
    progress: false,
  });
  return { code, stdout, stderr };
}

test("ponder index add, list, search, update and remove, as text and as JSON", async () => {
  const home = temporaryHome();
  const docs = documentFolder({
    "guide/install.md": "# Installing\n\nRun npm install, then npx ponder.",
    "notes.txt": "Retry policy: honour Retry-After headers.",
  });
  const at = ["--home", home.path];
  try {
    const added = await run(["add", docs.path, ...at]);
    assert.equal(added.code, 0);
    assert.match(added.stdout, new RegExp(`^${docs.path}: 2 new, 0 changed, 0 unchanged, 0 removed in \\d`));

    const listed = JSON.parse((await run(["list", "--json", ...at])).stdout) as { path: string; documents: number }[];
    assert.deepEqual(
      listed.map(({ path, documents }) => ({ path, documents })),
      [{ path: docs.path, documents: 2 }],
    );
    assert.match((await run(["list", ...at])).stdout, new RegExp(`^${docs.path}  2 documents  scanned `));

    const found = await run(["search", "retry", "policy", ...at]);
    assert.match(found.stdout, /^1\. notes\n {3}file:\/\/.*notes\.txt\n {3}Retry policy: honour Retry-After headers\.\n$/);
    const hits = JSON.parse((await run(["search", "install", "--json", "--limit", "1", ...at])).stdout) as {
      title: string;
      path: string;
    }[];
    assert.deepEqual(
      hits.map((hit) => hit.title),
      ["Installing"],
    );
    assert.match((await run(["search", "zeppelin", ...at])).stdout, /^No documents match "zeppelin"\.\n$/);

    docs.write("guide/install.md", "# Installing\n\nUse pnpm now.");
    const updated = await run(["update", "--json", ...at]);
    assert.equal((JSON.parse(updated.stdout) as { changed: number }[])[0]?.changed, 1);

    assert.match((await run(["remove", docs.path, ...at])).stdout, /^Removed .* \(2 documents\)\.\n$/);
    assert.match((await run(["list", ...at])).stdout, /^No folders are indexed/);
    assert.match((await run(["search", "install", ...at])).stdout, /^The index is empty/);
  } finally {
    docs.remove();
    home.remove();
  }
});

test("ponder index: help, and usage errors that say what to do", async () => {
  const home = temporaryHome();
  try {
    assert.equal((await run(["--help"])).stdout, `${indexHelp}\n`);
    assert.equal((await run([])).code, 2);
    await assert.rejects(
      run(["frobnicate", "--home", home.path]),
      (error: unknown) => error instanceof ConfigError && /Unknown index command "frobnicate"/.test(error.message),
    );
    await assert.rejects(run(["add", "--home", home.path]), /needs a folder/);
    await assert.rejects(run(["search", "--home", home.path]), /needs a query/);
    await assert.rejects(
      run(["remove", join(home.path, "nowhere"), "--home", home.path]),
      (error: unknown) =>
        error instanceof ConfigError && /not an indexed folder/.test(error.message) && /ponder index add/.test(error.hint ?? ""),
    );
    await assert.rejects(run(["list", "--bogus"]), /ponder index: unknown option --bogus\./);
  } finally {
    home.remove();
  }
});
