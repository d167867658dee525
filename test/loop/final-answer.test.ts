// A model that honestly returns an empty turn (it finished, saying nothing) is asked once more for
// an answer without tools; the sentences Ponder writes around it read right for a stop that is
// not a budget, and an answer it then gives ends the run as any answer does.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { messageText, type Item } from "../../src/core/items.js";
import { ask } from "../../src/library/ask.js";
import { ScriptedModel } from "../../src/models/scripted-model.js";
import type { ScriptedTurn } from "../../src/models/scripted-script.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { temporaryHome } from "../support/temporary-home.js";

async function askScripted(turns: ScriptedTurn[]) {
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    const model = new ScriptedModel(turns);
    const result = await ask("What is the answer?", { model, tools: [], store, home: home.path, env: {}, cwd: home.path });
    const items: Item[] = (await store.listItems(result.runId)).map((stored) => stored.item);
    return { result, items, requests: model.requests.length };
  } finally {
    await store.close();
    home.remove();
  }
}

const ponderTexts = (items: Item[]) =>
  items.flatMap((item) =>
    item.type === "note" ? [item.text] : item.type === "message" && item.role === "user" ? [messageText(item)] : [],
  );

test("an empty turn, then an answer when asked without tools: the run completes with that answer", async () => {
  const { result, items, requests } = await askScripted([{ text: "" }, { text: "42." }]);
  assert.equal(result.status, "completed");
  assert.equal(result.answer, "42.");
  assert.equal(requests, 2);
  const [, note, prompt] = ponderTexts(items);
  assert.equal(
    note,
    "The run stops here: the model returned an empty turn (finish reason: stop). Asking for a final answer without tools.",
  );
  assert.match(
    prompt ?? "",
    /^\[Ponder\] The run stops here: the model returned an empty turn \(finish reason: stop\)\. Do not call any tools\./,
  );
});

test("two empty turns: the run says plainly that the model gave no answer", async () => {
  const { result } = await askScripted([{ text: "" }, { text: "" }]);
  assert.equal(result.status, "completed");
  assert.equal(
    result.answer,
    "No answer: the run stopped before the model gave one. Reason: the model returned an empty turn (finish reason: stop).",
  );
});
