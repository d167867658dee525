import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Item } from "../../src/core/items.js";
import { earlierTurnItems, toolStateNotice } from "../../src/loop/conversation-context.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { record } from "../store/run-store-contract.js";
import { temporaryHome } from "../support/temporary-home.js";

const user = (id: string, text: string): Item => ({ type: "message", id, role: "user", content: [{ type: "input_text", text }] });
const call = (id: string): Item => ({ type: "function_call", id, call_id: `call_${id}`, name: "python", arguments: "{}" });

test("a follow-up's context is every earlier turn's items in order; a call its turn never answered gets a derived output, the same on every rebuild", async () => {
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    await store.createRun(record("run_1", "2026-01-01T00:00:00.000Z", "completed"));
    await store.appendItems("run_1", 0, [
      user("m1", "first"),
      call("c1"),
      { type: "function_call_output", id: "o1", call_id: "call_c1", output: "42" },
    ]);
    // Turn 2 was cancelled (or its process killed, then cancelled) while its call ran.
    await store.createRun(record("run_2", "2026-01-02T00:00:00.000Z", "cancelled", { conversationId: "run_1", previousRunId: "run_1" }));
    await store.appendItems("run_2", 0, [user("m2", "second"), call("c2")]);
    const third = record("run_3", "2026-01-03T00:00:00.000Z", "queued", { conversationId: "run_1", previousRunId: "run_2" });
    await store.createRun(third);

    const context = await earlierTurnItems(store, third);
    assert.deepEqual(
      context.map((item) => item.id),
      ["m1", "c1", "o1", "m2", "c2", "c2_unanswered"],
    );
    const closing = context.at(-1);
    assert.equal(closing?.type === "function_call_output" && closing.call_id, "call_c2");
    assert.deepEqual(await earlierTurnItems(store, third), context, "a resumed turn rebuilds the same context");
    assert.deepEqual(
      (await store.listItems("run_2")).map((stored) => stored.item.id),
      ["m2", "c2"],
      "nothing derived is stored",
    );

    assert.match(toolStateNotice(false, context, [], { kept: false }) ?? "", /fresh tools/);
    assert.match(toolStateNotice(true, context, [user("m3", "third")], { kept: false }) ?? "", /new process/);
    assert.equal(toolStateNotice(false, [user("m1", "first")], [], { kept: false }), undefined, "no tools used earlier, nothing to tell");
  } finally {
    await store.close();
    home.remove();
  }
});
