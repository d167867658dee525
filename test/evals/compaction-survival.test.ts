import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { archivePageCount, archivePageName, launchCode, survivalInput, vaultCity } from "../../src/evals/builtin/archive-pages.js";
import { writeBuiltinDataset } from "../../src/evals/builtin/builtin-dataset.js";
import { loadDataset } from "../../src/evals/dataset.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { smallWindowModel } from "../support/small-window-model.js";
import { runCommand } from "./eval-cli.js";
import { withEvalServer } from "./eval-server.js";

test("ponder eval builtin, compaction survival: in an 8K window the harness carries the task's fact and page 1's fact through three or more compactions", async () => {
  const directory = mkdtempSync(join(tmpdir(), "ponder-survival-"));
  try {
    const dataset = await loadDataset(await writeBuiltinDataset(directory));
    const survivalStart = JSON.stringify(survivalInput.slice(0, 60)).slice(1, -1);
    let pagesAsked = 0;
    const fake = smallWindowModel(8_000, (text) => {
      if (text.includes(survivalStart)) {
        if (pagesAsked < archivePageCount) {
          pagesAsked++;
          return { toolCalls: [{ name: "read_file", arguments: JSON.stringify({ path: `attachments/${archivePageName(pagesAsked)}` }) }] };
        }
        const known = text.includes(`launch code is ${launchCode}`) && text.includes(`vault city is ${vaultCity}`);
        return { text: `Final answer: ${known ? `${launchCode}, ${vaultCity}` : "unknown"}` };
      }
      const item = dataset.items.find((candidate) => text.includes(JSON.stringify(candidate.input.slice(0, 40)).slice(1, -1)));
      return { text: `Final answer: ${String(item?.target ?? "unknown")}` };
    });
    await withEvalServer(fake.handler, async ({ env, home, write }) => {
      const config = write(
        "ponder.config.json",
        JSON.stringify({ tools: ["read_file"], context: { models: { "openai:tiny-window": { contextWindow: 8_000 } } } }),
      );
      const ran = await runCommand("eval", ["builtin", "--model", "openai:tiny-window", "--json", "--config", config], env);
      assert.equal(ran.code, 0, ran.stderr);
      const summary = JSON.parse(ran.stdout) as { configs: { accuracy: number; scored: number }[] };
      assert.deepEqual(
        summary.configs.map((each) => [each.accuracy, each.scored]),
        [[1, 9]],
      );
      assert.equal(pagesAsked, archivePageCount, "every page was read");
      assert.equal(fake.overflows, 0, "no request passed the window");
      const store = new SqliteRunStore(join(home, "ponder.db"));
      try {
        const runs = await store.listRuns();
        const survival = runs.find((run) => typeof run.spec.input === "string" && run.spec.input.startsWith("The launch code is"));
        assert.ok(survival, "the survival sample's run is stored");
        const items = (await store.listItems(survival.id)).map((stored) => stored.item);
        const summaries = items.filter((item) => item.type === "compaction" && item.tier === "summary");
        assert.ok(summaries.length >= 3, `${summaries.length} summaries`);
      } finally {
        await store.close();
      }
    });
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
