import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startRun } from "../../src/library/start-run.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { userTexts } from "../support/conversation.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";

test("a steer with interrupt cuts a long model turn short; the model reads it at once; a plain steer waits for the turn", async () => {
  let release: () => void = () => undefined;
  const longTurn = new Promise<void>((resolve) => (release = resolve));
  const server = await startFakeOpenAIServer(async (body) => {
    const texts = userTexts(body);
    if (texts.some((text) => text.startsWith("STOP")))
      return { text: `Heard: ${texts.filter((text) => text.startsWith("STOP") || text.startsWith("ALSO")).join(" | ")}` };
    await longTurn;
    return { text: "The long answer nobody waited for." };
  });
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    const handle = await startRun("Think for a very long time.", {
      model: "openai:gpt-4o",
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
      home: home.path,
      store,
      tools: [],
    });
    for (let waited = 0; server.requests.length === 0 && waited < 10_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    handle.steer("ALSO: a plain message waits for the step boundary");
    assert.equal(server.requests.length, 1, "a plain steer does not stop the turn");
    handle.steer("STOP: answer now", { interrupt: true });
    const record = await handle.result;
    assert.equal(record.status, "completed", record.error?.message);
    assert.equal(record.result?.answer, "Heard: ALSO: a plain message waits for the step boundary | STOP: answer now");
    const items = (await store.listItems(record.id)).map((stored) => stored.item);
    assert.ok(
      items.some((item) => item.type === "note" && item.kind === "steer" && item.text.includes("interrupted")),
      "the log says the turn was interrupted",
    );
    assert.ok(
      !items.some((item) => item.type === "message" && item.role === "assistant" && JSON.stringify(item).includes("nobody waited")),
      "the interrupted turn left nothing",
    );
  } finally {
    release();
    await store.close();
    await server.close();
    home.remove();
  }
});
