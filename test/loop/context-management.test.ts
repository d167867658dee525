import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { messageText, type CompactionItem, type FunctionCallOutputItem, type Item, type NoteItem } from "../../src/core/items.js";
import { resumeRun, startRun } from "../../src/library/start-run.js";
import { runWorkspaceOf } from "../../src/config/ponder-home.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { defineTool } from "../../src/tools/tool.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { filler, smallWindowModel, type SmallWindowModel } from "../support/small-window-model.js";
import { temporaryHome } from "../support/temporary-home.js";

const model = "openai:tiny-window";

/** `lookup` returns page `page` of a long document; page 1 states where the vault is. */
const lookup = defineTool({
  name: "lookup",
  description: "Reads one page of the archive.",
  parameters: z.object({ page: z.number().int().positive() }),
  effects: "none",
  async run({ page }) {
    const fact = page === 1 ? "Note: the vault city is Lisbon. " : "";
    return { content: `Page ${page}. ${fact}${filler(page, 2_000)}` };
  },
});

/** `notify` reaches outside the machine, so by default it waits for a person's approval. */
const notify = defineTool({
  name: "notify",
  description: "Sends the findings to the team.",
  parameters: z.object({ text: z.string() }),
  effects: "external",
  async run({ text }) {
    return { content: `sent: ${text}` };
  },
});

/** `dump` prints far more than any window holds. */
const dump = defineTool({
  name: "dump",
  description: "Prints the whole database.",
  parameters: z.object({}),
  effects: "none",
  async run() {
    return { content: `BEGIN ${filler(0, 60_000)} MIDDLE-MARKER ${filler(1, 60_000)} END` };
  },
});

async function withSmallWindow(
  window: number,
  fake: SmallWindowModel,
  body: (context: { home: string; store: SqliteRunStore; configPath: string; env: Record<string, string> }) => Promise<void>,
  context: Record<string, unknown> = {},
) {
  const server = await startFakeOpenAIServer(fake.handler);
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const configPath = join(home.path, "ponder.config.json");
  writeFileSync(configPath, JSON.stringify({ context: { models: { [model]: { contextWindow: window } }, ...context } }));
  try {
    await body({ home: home.path, store, configPath, env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL } });
  } finally {
    await store.close();
    await server.close();
    home.remove();
  }
}

const itemsOf = async (store: SqliteRunStore, runId: string): Promise<Item[]> =>
  (await store.listItems(runId)).map((stored) => stored.item);
const compactions = (items: Item[]) => items.filter((item): item is CompactionItem => item.type === "compaction");

test("a long run in a small window: every request fits, both facts survive three summaries, and a follow-up still knows them", async () => {
  const window = 4_000;
  const steps = 24;
  const plan = {
    plan: [
      { step: "read every page", status: "in_progress" },
      { step: "answer", status: "pending" },
    ],
  };
  const fake = smallWindowModel(window, (text, step) => {
    if (step === 1) return { toolCalls: [{ name: "update_plan", arguments: JSON.stringify(plan) }] };
    if (step <= steps + 1) return { toolCalls: [{ name: "lookup", arguments: JSON.stringify({ page: step - 1 }) }] };
    const known = text.includes("launch code is ZEBRA-41") && text.includes("vault city is Lisbon");
    return { text: known ? "ZEBRA-41, Lisbon" : "I no longer know." };
  });
  await withSmallWindow(window, fake, async ({ home, store, configPath, env }) => {
    const task = "Remember: the launch code is ZEBRA-41. Read the archive page by page, then tell me the launch code and the vault city.";
    const record = await (
      await startRun(task, { model, env, home, store, configPath, tools: [lookup, "update_plan"], budget: { maxSteps: 60 } })
    ).result;
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.result?.answer, "ZEBRA-41, Lisbon");
    assert.equal(fake.overflows, 0, "no request passed the window");
    const items = await itemsOf(store, record.id);
    const made = compactions(items);
    assert.ok(made.filter((item) => item.tier === "summary").length >= 3, `summaries: ${made.map((item) => item.tier).join(",")}`);
    assert.ok(made.some((item) => item.tier === "stub"));
    // The plan is re-stated by every summary, and the model was told about its room as it filled up.
    for (const summary of made.filter((item) => item.tier === "summary"))
      assert.match(summary.text, /Current plan.*\n\[>\] read every page/);
    assert.ok(items.some((item) => item.type === "message" && /^\[Ponder\] Room left: context \d+% used/.test(messageText(item))));
    // Input per step stays bounded instead of growing with the step number.
    const turns = fake.requests.filter((request) => !request.summarising);
    assert.ok(Math.max(...turns.map((request) => request.tokens)) <= window);
    assert.ok(turns.at(-1)!.tokens < turns.slice(0, 12).reduce((sum, request) => sum + request.tokens, 0) / 4);
    // The user's words reach every request verbatim.
    for (const request of fake.requests.filter((each) => !each.summarising)) assert.ok(request.text.includes("launch code is ZEBRA-41"));
    // Every output stays in the log whole.
    const first = items.find(
      (item): item is FunctionCallOutputItem => item.type === "function_call_output" && String(item.output).startsWith("Page 1."),
    );
    assert.match(String(first?.output), /vault city is Lisbon/);

    const followUp = await (
      await startRun("Say the two facts again.", { continueFrom: record.id, env, home, store, configPath, tools: [lookup] })
    ).result;
    assert.equal(followUp.status, "completed", followUp.error?.message);
    assert.equal(followUp.result?.answer, "ZEBRA-41, Lisbon");
    assert.equal(fake.overflows, 0);
  });
});

test("a window smaller than the instructions and the task fails clearly before any model call", async () => {
  const fake = smallWindowModel(1_000, () => ({ text: "never" }));
  await withSmallWindow(1_000, fake, async ({ home, store, configPath, env }) => {
    const record = await (
      await startRun(`Summarise this: ${filler(3, 8_000)}`, { model, env, home, store, configPath, tools: [lookup] })
    ).result;
    assert.equal(record.status, "failed");
    assert.equal(record.error?.code, "context_window_too_small");
    assert.match(record.error?.message ?? "", /context window of openai:tiny-window \(1000 tokens/);
    assert.match(record.error?.message ?? "", /contextWindow/);
    assert.equal(fake.requests.length, 0, "nothing was sent to the model");
  });
});

test("an output larger than the whole window goes to a workspace file; the model reads its head and tail and recalls the rest", async () => {
  const window = 4_000;
  let callId = "";
  const fake = smallWindowModel(window, (text, step, body) => {
    if (step === 1) return { toolCalls: [{ name: "dump", arguments: "{}" }] };
    if (step === 2) {
      callId = /"call_id":"([^"]+)"/.exec(JSON.stringify(body))?.[1] ?? "";
      return { toolCalls: [{ name: "recall", arguments: JSON.stringify({ call_id: callId, offset: 60_000 }) }] };
    }
    return { text: text.includes("MIDDLE-MARKER") ? "found the middle" : "middle missing" };
  });
  await withSmallWindow(window, fake, async ({ home, store, configPath, env }) => {
    const record = await (
      await startRun("Dump the database and find its middle.", { model, env, home, store, configPath, tools: [dump] })
    ).result;
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.result?.answer, "found the middle");
    assert.equal(fake.overflows, 0);
    const output = (await itemsOf(store, record.id)).find((item): item is FunctionCallOutputItem => item.type === "function_call_output");
    const text = String(output?.output);
    assert.match(text, /^Page|^BEGIN/);
    assert.match(text, / END$/);
    assert.doesNotMatch(text, /MIDDLE-MARKER/);
    const file = /workspace file (tool-outputs\/\S+\.txt)/.exec(text)?.[1];
    assert.ok(file, text.slice(0, 200));
    const recalled = (await itemsOf(store, record.id)).filter(
      (item): item is FunctionCallOutputItem => item.type === "function_call_output",
    )[1];
    assert.match(String(recalled?.output), /^Output of dump call \S+ \(characters 60000–\d+ of 120025\)\. More follows/);
    assert.match(String(recalled?.output), /MIDDLE-MARKER/);
    assert.doesNotMatch(String(recalled?.output), /workspace file/, "a recalled page is never offloaded again");
    const whole = readFileSync(join(runWorkspaceOf(home, record.id), file), "utf8");
    assert.equal(whole.length, 120_000 + "BEGIN  MIDDLE-MARKER  END".length);
  });
});

test("a summarising call that fails or returns garbage falls back to dropping old turns, says so in a note, and the run goes on", async () => {
  const window = 4_000;
  const steps = 16;
  const fake = smallWindowModel(
    window,
    (text, step) =>
      step <= steps
        ? { toolCalls: [{ name: "lookup", arguments: JSON.stringify({ page: step + 1 }) }] }
        : { text: text.includes("launch code is ZEBRA-41") ? "ZEBRA-41" : "lost" },
    (_text, index) =>
      index % 2 === 0
        ? { status: 400, errorBody: { error: { message: "summaries are off today", type: "invalid_request_error" } } }
        : { text: "   " },
  );
  await withSmallWindow(window, fake, async ({ home, store, configPath, env }) => {
    const record = await (
      await startRun("The launch code is ZEBRA-41. Read pages, then say the code.", {
        model,
        env,
        home,
        store,
        configPath,
        tools: [lookup],
      })
    ).result;
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.result?.answer, "ZEBRA-41");
    assert.equal(fake.overflows, 0);
    const items = await itemsOf(store, record.id);
    const truncations = compactions(items).filter((item) => item.tier === "truncation");
    assert.ok(truncations.length >= 2);
    const notes = items.filter((item): item is NoteItem => item.type === "note" && item.kind === "context");
    assert.ok(notes.some((note) => /summaries are off today/.test(note.text)));
    assert.ok(notes.some((note) => /returned no text/.test(note.text)));
  });
});

test("a compacted run that stops (awaiting approval) and resumes in a new process rebuilds the same context from its log", async () => {
  const window = 4_000;
  const steps = 14;
  let lastBeforeStop = "";
  const fake = smallWindowModel(window, (text, step) => {
    if (step <= steps) return { toolCalls: [{ name: "lookup", arguments: JSON.stringify({ page: step }) }] };
    if (step === steps + 1) {
      lastBeforeStop = text;
      return { toolCalls: [{ name: "notify", arguments: JSON.stringify({ text: "done reading" }) }] };
    }
    const known = text.includes("launch code is ZEBRA-41") && text.includes("vault city is Lisbon");
    return { text: known ? "ZEBRA-41, Lisbon" : "I no longer know." };
  });
  await withSmallWindow(window, fake, async ({ home, store, configPath, env }) => {
    const task =
      "Remember: the launch code is ZEBRA-41. Read the archive, notify the team, then tell me the launch code and the vault city.";
    const waiting = await (await startRun(task, { model, env, home, store, configPath, tools: [lookup, notify] })).result;
    assert.equal(waiting.status, "awaiting_approval", waiting.error?.message);
    const items = await itemsOf(store, waiting.id);
    const summary = compactions(items).findLast((item) => item.tier === "summary");
    assert.ok(summary, "the run was compacted before it stopped");
    const request = items.find((item) => item.type === "approval_request");
    await store.appendItems(waiting.id, items.length, [
      { type: "approval_response", id: "aps_1", call_id: request?.type === "approval_request" ? request.call_id : "", approve: true },
    ]);
    const resumed = await (await resumeRun(waiting.id, { model, env, home, store, configPath, tools: [lookup, notify] })).result;
    assert.equal(resumed.status, "completed", resumed.error?.message);
    assert.equal(resumed.result?.answer, "ZEBRA-41, Lisbon");
    assert.equal(fake.overflows, 0);
    const after = fake.requests.filter((each) => !each.summarising).at(-1)!.text;
    const inputOf = (text: string) => JSON.stringify((JSON.parse(text) as { input: unknown[] }).input.slice(0, 3));
    assert.equal(inputOf(after), inputOf(lastBeforeStop), "the resumed request starts as the last one before the stop");
    assert.ok(after.includes(JSON.stringify(summary.text.slice(0, 80)).slice(1, -1)));
  });
});
