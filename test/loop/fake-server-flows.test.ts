import { test } from "node:test";
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { join } from "node:path";
import type { FunctionCallOutputItem, Item } from "../../src/core/items.js";
import type { RunEvent } from "../../src/core/events.js";
import { startRun } from "../../src/library/start-run.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { startFakeOpenAIServer, type FakeServerOptions } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { temporaryHome } from "../support/temporary-home.js";

// The loop driven over real HTTP by the fake OpenAI server, with the real Python sandbox.
async function withServer(
  options: FakeServerOptions,
  body: (context: { env: Record<string, string>; home: string; store: SqliteRunStore }) => Promise<void>,
) {
  const server = await startFakeOpenAIServer(options);
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    await body({ env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL }, home: home.path, store });
  } finally {
    await store.close();
    await server.close();
    home.remove();
  }
}

const python = (code: string) => ({ name: "python", arguments: JSON.stringify({ code }) });
const outputsOf = (items: Item[]) => items.filter((item): item is FunctionCallOutputItem => item.type === "function_call_output");

test("parallel Python calls in one turn both run and both results reach the model", async () => {
  await withServer(
    (body) =>
      toolResults(body).length === 0
        ? { toolCalls: [python("print(6*7)"), python("print(2**10)")] }
        : {
            text: `Results: ${toolResults(body)
              .map((r) => r.trim())
              .join(" and ")}`,
          },
    async ({ env, home, store }) => {
      const record = await (await startRun("Compute two things.", { model: "openai:gpt-4o", env, home, store })).result;
      assert.equal(record.status, "completed", record.error?.message);
      assert.equal(record.result?.answer, "Results: 42 and 1024");
      assert.equal(record.usage.toolCalls, 2);
    },
  );
});

test("a malformed tool call over the wire is answered with an error and repaired", async () => {
  await withServer(
    (body) => {
      const results = toolResults(body);
      if (results.length === 0) return { toolCalls: [{ name: "python", arguments: '{"code": "print(1)' }] };
      if (results.length === 1) return { toolCalls: [python("print(1)")] };
      return { text: "done" };
    },
    async ({ env, home, store }) => {
      const record = await (await startRun("Print one.", { model: "openai:gpt-4o", env, home, store })).result;
      assert.equal(record.status, "completed");
      const outputs = outputsOf((await store.listItems(record.id)).map((stored) => stored.item));
      assert.equal(outputs[0]?.error_kind, "invalid_arguments");
      assert.equal(String(outputs[1]?.output).trim(), "1");
    },
  );
});

test("a deadline hit mid-run (a slow Python call) produces a forced final answer in time", async () => {
  await withServer(
    (body) =>
      toolResults(body).length === 0 ? { toolCalls: [python("import time\nx = 41\ntime.sleep(30)")] } : { text: "Best answer so far: 42." },
    async ({ env, home, store }) => {
      const started = Date.now();
      const record = await (
        await startRun("Think slowly.", { model: "openai:gpt-4o", env, home, store, budget: { timeoutMs: 4000 } })
      ).result;
      assert.ok(Date.now() - started < 20_000, "the 30 s Python call was cut short");
      assert.equal(record.status, "completed");
      assert.equal(record.result?.budgetExhausted, "deadline");
      assert.equal(record.result?.answer, "Best answer so far: 42.");
    },
  );
});

test("429s with Retry-After are waited out", async () => {
  await withServer(
    [{ status: 429, headers: { "Retry-After": "1" } }, { status: 429, headers: { "Retry-After": "1" } }, { text: "ok" }],
    async ({ env, home, store }) => {
      const events: RunEvent[] = [];
      const started = Date.now();
      const record = await (
        await startRun("Hi.", { model: "openai:gpt-4o", env, home, store, onEvent: (event) => events.push(event) })
      ).result;
      assert.equal(record.status, "completed");
      const retries = events.filter((event) => event.type === "retry-scheduled");
      assert.deepEqual(
        retries.map((event) => (event.type === "retry-scheduled" ? event.delayMs : 0)),
        [1000, 1000],
      );
      assert.ok(Date.now() - started >= 2000);
    },
  );
});

test("cancel mid-tool kills the sandboxed Python and ends the run promptly", async () => {
  await withServer(
    (body) => (toolResults(body).length === 0 ? { toolCalls: [python("import time\ntime.sleep(60)")] } : { text: "never" }),
    async ({ env, home, store }) => {
      const handle = await startRun("Sleep.", { model: "openai:gpt-4o", env, home, store });
      for await (const event of handle.events()) if (event.type === "tool-call-started") break;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const cancelledAt = Date.now();
      handle.cancel();
      const record = await handle.result;
      assert.ok(Date.now() - cancelledAt < 30_000, "the 60 s Python call did not run to its end");
      assert.equal(record.status, "cancelled");
      const outputs = outputsOf((await store.listItems(record.id)).map((stored) => stored.item));
      assert.equal(outputs[0]?.error_kind, "cancelled");
    },
  );
});

test("runs sharing one caller's signal stop listening to it when they finish", async () => {
  await withServer(
    () => ({ text: "done" }),
    async ({ env, home, store }) => {
      const shared = new AbortController();
      const handles = await Promise.all(
        [1, 2, 3].map((index) =>
          startRun(`Question ${index}.`, { model: "openai:gpt-4o", env, home, store, tools: [], signal: shared.signal }),
        ),
      );
      assert.ok(getEventListeners(shared.signal, "abort").length > 0, "running runs listen");
      for (const handle of handles) assert.equal((await handle.result).status, "completed");
      assert.equal(getEventListeners(shared.signal, "abort").length, 0, "finished runs are not kept alive by the signal");
    },
  );
});
