import { test } from "node:test";
import assert from "node:assert/strict";
import { toolResults } from "../support/conversation.js";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { readEvents, startServerFixture } from "./server-fixture.js";

test("many watchers of one live run, some resuming mid-run, each get every item once, in order, and the same events", async () => {
  // The run waits at its first turn until every watcher is attached, then takes three tool turns.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const fixture = await startServerFixture(async (body: RequestBody): Promise<FakeTurn> => {
    const results = toolResults(body).length;
    if (results === 0) await gate;
    return results < 3 ? { text: `Step ${results}.`, toolCalls: [{ name: "no_such_tool", arguments: "{}" }] } : { text: "Done." };
  });
  try {
    const run = (await (await fixture.request("POST", "/v1/runs", { body: { input: "work" } })).json()) as { id: string };
    // Watchers share one read of the store and one serialisation per item: none may see another's view.
    // A watcher resuming after item 0 has nothing to receive until the run moves: its answer is not awaited first.
    const watcher = (index: number) =>
      fixture.request("GET", `/v1/runs/${run.id}/events`, index % 4 === 3 ? { headers: { "Last-Event-ID": "0" } } : {});
    const requests = Array.from({ length: 40 }, (_, index) => watcher(index));
    await Promise.all(requests.filter((_, index) => index % 4 !== 3));
    release();
    const streams = await Promise.all(requests.map(async (response) => readEvents(await response)));
    const stored = (await (await fixture.request("GET", `/v1/runs/${run.id}`)).json()) as { items: { seq: number; item: unknown }[] };
    assert.ok(stored.items.length >= 8, `${stored.items.length} items`);
    for (const [index, events] of streams.entries()) {
      const items = events.filter((event) => event.event === "item");
      const from = index % 4 === 3 ? 1 : 0;
      assert.deepEqual(
        items.map((event) => Number(event.id)),
        stored.items.map((entry) => entry.seq).filter((seq) => seq >= from),
        `watcher ${index}: every item once, in order`,
      );
      assert.deepEqual(
        items.map((event) => (JSON.parse(event.data) as { item: unknown }).item),
        stored.items.filter((entry) => entry.seq >= from).map((entry) => entry.item),
      );
      assert.deepEqual(JSON.parse(events.at(-1)?.data ?? "{}"), { status: "completed" });
    }
    const live = (events: { event?: string }[]) => events.filter((event) => event.event !== "item").map((event) => event.event);
    for (const events of streams.slice(1)) assert.deepEqual(live(events), live(streams[0] ?? []), "the same live events for everyone");
  } finally {
    await fixture.close();
  }
});
