import { test } from "node:test";
import assert from "node:assert/strict";
import type { CompactionItem, Item } from "../../src/core/items.js";
import { stubCandidates, summaryCut } from "../../src/loop/context/compaction-plan.js";
import { summaryCompactionText } from "../../src/loop/context/compaction-text.js";
import { contextView, stubbedCallIds } from "../../src/loop/context/context-view.js";
import { logPieces } from "../../src/loop/context/summarise.js";

const user = (id: string, text: string): Item => ({ type: "message", id, role: "user", content: [{ type: "input_text", text }] });
const call = (n: number, name = "lookup", args = `{"page":${n}}`): Item => ({
  type: "function_call",
  id: `fc${n}`,
  call_id: `c${n}`,
  name,
  arguments: args,
});
const output = (n: number, size = 2_000): Item => ({
  type: "function_call_output",
  id: `fco${n}`,
  call_id: `c${n}`,
  output: `page ${n} ${"x".repeat(size)}`,
});
const steps = (from: number, to: number): Item[] =>
  Array.from({ length: to - from + 1 }, (_, index) => [call(from + index), output(from + index)]).flat();

test("between compactions every request starts with the previous one unchanged; a stub compaction changes it once", () => {
  const task = user("m1", "the task");
  const stub: CompactionItem = {
    type: "compaction",
    id: "cmp1",
    tier: "stub",
    text: "[Ponder] cleared",
    stubbed_call_ids: ["c1", "c2"],
    tokens_before: 0,
    tokens_after: 0,
  };
  const before = [task, ...steps(1, 4)];
  const after = [...before, stub, ...steps(5, 6)];
  const views = [contextView(before), contextView([...before, stub]), contextView([...before, stub, ...steps(5, 5)]), contextView(after)];
  for (let index = 2; index < views.length; index++)
    assert.deepEqual(views[index]!.slice(0, views[index - 1]!.length), views[index - 1], `view ${index} extends view ${index - 1}`);
  const stubbed = views[3]!.filter(
    (item) => item.type === "function_call_output" && String(item.output).includes("cleared from the context"),
  );
  assert.deepEqual(
    stubbed.map((item) => (item as { call_id: string }).call_id),
    ["c1", "c2"],
  );
  assert.match(String((views[3]![1 + 2 * 4] as { content: { text: string }[] }).content[0]?.text), /cleared/);
  assert.deepEqual([...stubbedCallIds(after)], ["c1", "c2"]);
});

test("after a summary the user's own messages stay verbatim, Ponder's notices go, and the summary with the plan follows them", () => {
  const plan = call(
    2,
    "update_plan",
    JSON.stringify({
      plan: [
        { step: "read every page", status: "in_progress" },
        { step: "answer", status: "pending" },
      ],
    }),
  );
  const items: Item[] = [
    user("m1", "Remember the code ZEBRA-41."),
    ...steps(1, 1),
    plan,
    { type: "function_call_output", id: "fco2", call_id: "c2", output: "Plan updated." },
    user("m2", "[Ponder] Room left: context 52% used."),
    user("m3", "Also check page 7."),
    ...steps(3, 5),
  ];
  const summarised = items.slice(0, 8);
  const summary: CompactionItem = {
    type: "compaction",
    id: "cmp1",
    tier: "summary",
    text: summaryCompactionText("Findings: page 1 says hello.", summarised, items),
    through_id: summarised.at(-1)!.id,
    tokens_before: 0,
    tokens_after: 0,
  };
  const view = contextView([...items, summary]);
  assert.deepEqual(
    view.slice(0, 2).map((item) => item.id),
    ["m1", "m3"],
  );
  const text = (view[2] as { content: { text: string }[] }).content[0]!.text;
  assert.match(text, /Findings: page 1 says hello\./);
  assert.match(text, /Current plan \(0 of 2 steps completed\):\n\[>\] read every page\n\[ \] answer/);
  assert.deepEqual(
    view.slice(3).map((item) => item.id),
    items.slice(8).map((item) => item.id),
  );
});

test("a summary cut never separates a call from its output, and keeps the newest turns within the budget", () => {
  const items: Item[] = [user("m1", "task"), call(1), call(2), output(1), output(2), ...steps(3, 6)];
  for (let keep = 0; keep < 4_000; keep += 250) {
    const cut = summaryCut(items, 0, keep);
    const summarised = new Set(items.slice(0, cut + 1).flatMap((item) => (item.type === "function_call" ? [item.call_id] : [])));
    for (const item of items.slice(cut + 1))
      if (item.type === "function_call_output") assert.ok(!summarised.has(item.call_id), `keep ${keep}`);
    assert.notEqual(cut, 1, "not between two calls of one turn");
    assert.notEqual(cut, 2);
    assert.notEqual(cut, 3);
  }
  assert.equal(summaryCut(items, 0, 0), items.length - 1, "with no room, everything is summarised");
  assert.equal(summaryCut(items, 0, 700), items.length - 3, "room for one 2 KB turn keeps the last turn");
});

test("tier 1 clears every old output but the newest few, and leaves small ones", () => {
  const items: Item[] = [
    user("m1", "task"),
    ...steps(1, 5),
    call(6),
    { type: "function_call_output", id: "fco6", call_id: "c6", output: "ok" },
  ];
  const { callIds } = stubCandidates(contextView(items), new Set(["c1"]), 2);
  assert.deepEqual(callIds, ["c2", "c3", "c4"]);
});

test("the log is cut into pieces no larger than asked, even a single output far larger than one piece", () => {
  const pieces = logPieces([user("m1", "task"), call(1), output(1, 50_000), ...steps(2, 3)], 8_000);
  assert.ok(pieces.every((piece) => piece.length <= 8_001));
  assert.ok(pieces.length >= 7);
  assert.match(pieces.join(""), /USER: task/);
});
