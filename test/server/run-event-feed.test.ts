import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, get, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { startRun } from "../../src/library/start-run.js";
import { EventStream } from "../../src/server/event-stream.js";
import { LiveRun } from "../../src/server/live-runs.js";
import { RunEventFeed } from "../../src/server/run-event-feed.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { startFakeOpenAIServer, type FakeTurn } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";

// The feed behind `GET /v1/runs/{id}/events`, over real HTTP, following a real run (the loop,
// SQLite, the fake OpenAI server streaming its answer word by word).

type ServerSentEvent = { id?: string; event?: string; data: string };

function parseEvents(text: string): ServerSentEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields: ServerSentEvent = { data: "" };
      for (const line of block.split("\n")) {
        const colon = line.indexOf(": ");
        const [name, value] = [line.slice(0, colon), line.slice(colon + 2)];
        if (name === "id") fields.id = value;
        else if (name === "event") fields.event = value;
        else if (name === "data") fields.data += value;
      }
      return fields;
    });
}

/** A client of the events stream: `received` settles once the server has taken it on (its headers came), `ended` with every event once the stream ends. */
function watcher(url: string, onChunk: () => void = () => undefined) {
  let response: IncomingMessage | undefined;
  let bytes = 0;
  const chunks: Buffer[] = [];
  let answered: () => void = () => undefined;
  const received = new Promise<void>((resolve) => (answered = resolve));
  const ended = new Promise<ServerSentEvent[]>((resolve, reject) => {
    get(url, (incoming) => {
      response = incoming;
      answered();
      incoming.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        bytes += chunk.length;
        onChunk();
      });
      incoming.on("end", () => resolve(parseEvents(Buffer.concat(chunks).toString("utf8"))));
      incoming.on("error", reject);
    }).on("error", reject);
  });
  return { received, ended, pause: () => response?.pause(), resume: () => response?.resume(), bytes: () => bytes };
}

test("a watcher that stops reading holds a bounded part of the server's memory and, once it reads again, gets every item once, in order", async () => {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  // About 16 MB of text deltas (more than loopback's socket buffers take), then the same text as
  // the stored answer. The model streams a word per timer turn, which the reading watcher keeps up with.
  const words = Array.from({ length: 1000 }, (_, index) => `${index}:${"w".repeat(16_000)}`);
  const model = await startFakeOpenAIServer(async (): Promise<FakeTurn> => {
    await gate;
    return { text: words.join(" "), eventDelayMs: 1 };
  });
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const server = createServer();
  try {
    const handle = await startRun("Write at length.", {
      model: "openai:gpt-4o",
      tools: [],
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: model.baseURL },
      home: home.path,
      store,
    });
    const live = new LiveRun(handle, undefined);
    const bound = 1 << 20;
    const feed = new RunEventFeed(handle.id, store, bound);
    live.subscribe(feed.listener, { fromStart: false });
    server.on("request", (_request, response) => void feed.watch(new EventStream(response), -1));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

    // What the feed holds is sampled each time the reading watcher receives something.
    let mostHeld = 0;
    const reading = watcher(url, () => (mostHeld = Math.max(mostHeld, feed.heldBytes)));
    const stopped = watcher(url);
    await Promise.all([reading.received, stopped.received]);
    stopped.pause();
    release();

    const readingEvents = await reading.ended;
    assert.equal(readingEvents.at(-1)?.event, "done");
    assert.ok(reading.bytes() > 16 * bound, `the run sent ${reading.bytes()} bytes`);
    assert.ok(mostHeld < bound + (512 << 10), `the feed held up to ${mostHeld} bytes`);
    assert.ok(feed.heldBytes < bound + (512 << 10), `the feed holds ${feed.heldBytes} bytes`);

    // The reading watcher got every delta: together they are the stored answer.
    const stored = await store.listItems(handle.id);
    const answer = stored.at(-1)?.item;
    assert.ok(answer?.type === "message" && answer.role === "assistant");
    const deltas = readingEvents
      .filter((event) => event.event === "text-delta")
      .map((event) => (JSON.parse(event.data) as { delta: string }).delta);
    assert.ok(deltas.join("") === words.join(" "), `${deltas.length} deltas for ${words.length} words`);

    stopped.resume();
    const stoppedEvents = await stopped.ended;
    for (const events of [readingEvents, stoppedEvents]) {
      const items = events.filter((event) => event.event === "item");
      assert.deepEqual(
        items.map((event) => Number(event.id)),
        stored.map((entry) => entry.seq),
        "every item once, in order",
      );
      // Compared without printing: the answer is megabytes long.
      assert.ok(
        isDeepStrictEqual(
          items.map((event) => (JSON.parse(event.data) as { item: unknown }).item),
          stored.map((entry) => entry.item),
        ),
        "the items as stored",
      );
      assert.deepEqual(JSON.parse(events.at(-1)?.data ?? "{}"), { status: "completed" });
    }
    // The stopped watcher missed live events while it was let go of, never got one twice or out of order.
    const liveOnly = (events: ServerSentEvent[]) => events.filter((event) => event.event !== "item").map((event) => event.data);
    let next = 0;
    for (const data of liveOnly(stoppedEvents)) {
      next = liveOnly(readingEvents).indexOf(data, next) + 1;
      assert.ok(next > 0, "the stopped watcher's live events are the reading one's, in order");
    }
    assert.ok(liveOnly(stoppedEvents).length < liveOnly(readingEvents).length);
    await live.finished;
  } finally {
    // A failed assertion leaves the stopped watcher's connection open: closing must not wait for it.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await model.close();
    home.remove();
  }
});
