import { test } from "node:test";
import assert from "node:assert/strict";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { queueTestPlace, runCommand, spawnWorker, waitFor } from "../queue/queue-test-support.js";
import { requestKind, samplesAnswering } from "../strategies/strategy-server.js";
import { eventually, readEvents, startServerFixture } from "./server-fixture.js";

type StrategyRunJson = {
  id: string;
  status: string;
  parent_id: string | null;
  answer: string | null;
  strategy: { name: string; settings: Record<string, unknown> } | null;
  distribution: { answer: string; count: number; share: number; run_ids: string[] }[] | null;
};
type ListJson = { data: StrategyRunJson[] };

const finishedStatuses = ["completed", "failed", "cancelled"];

test("POST /v1/runs with a best-of-N strategy: the parent run, its tenant's children, the distribution", async () => {
  const fixture = await startServerFixture(samplesAnswering(["Final answer: 12", "Final answer: 13", "Final answer: 12"]), {
    tenants: ["alice", "bob"],
  });
  const alice = fixture.keys.alice as string;
  const bob = fixture.keys.bob as string;
  const get = async <T>(path: string, key = alice) => (await (await fixture.request("GET", path, { key })).json()) as T;
  try {
    const created = await fixture.request("POST", "/v1/runs", {
      key: alice,
      body: { input: "What is 5 + 7?", strategy: { type: "best_of_n", samples: 3, concurrency: 1 } },
    });
    assert.equal(created.status, 201);
    const parent = (await created.json()) as StrategyRunJson;
    assert.deepEqual(parent.strategy, { name: "best-of-n", settings: { select: "vote", concurrency: 1, samples: 3 } });

    const events = await readEvents(await fixture.request("GET", `/v1/runs/${parent.id}/events`, { key: alice }));
    assert.equal(events.at(-1)?.event, "done");
    assert.deepEqual(JSON.parse(events.at(-1)?.data ?? "{}"), { status: "completed" }, "the parent's stream follows it to the end");

    const finished = await get<StrategyRunJson>(`/v1/runs/${parent.id}`);
    assert.equal(finished.status, "completed");
    assert.match(finished.answer ?? "", /12/);
    assert.deepEqual(
      finished.distribution?.map(({ answer, count }) => ({ answer, count })),
      [
        { answer: "12", count: 2 },
        { answer: "13", count: 1 },
      ],
    );
    const children = (await get<ListJson>(`/v1/runs?parent_id=${parent.id}`)).data;
    assert.equal(children.length, 3);
    assert.ok(children.every((child) => child.parent_id === parent.id && child.status === "completed"));
    assert.deepEqual(new Set(finished.distribution?.flatMap((cluster) => cluster.run_ids)), new Set(children.map((child) => child.id)));
    assert.deepEqual(
      (await get<ListJson>("/v1/runs?top_level=true")).data.map((run) => run.id),
      [parent.id],
      "children are left out of the top level",
    );

    assert.equal((await get<ListJson>(`/v1/runs?parent_id=${parent.id}`, bob)).data.length, 0, "children belong to the parent's tenant");
    assert.equal((await fixture.request("GET", `/v1/runs/${children[0]?.id}`, { key: bob })).status, 404);
    const steer = await fixture.request("POST", `/v1/runs/${parent.id}/steer`, { key: alice, body: { message: "faster" } });
    assert.equal(steer.status, 409);
    const badStrategy = await fixture.request("POST", "/v1/runs", {
      key: alice,
      body: { input: "x", strategy: { type: "best_of_n", select: "verify" } },
    });
    assert.equal(badStrategy.status, 400);
  } finally {
    await fixture.close();
  }
});

test("cancelling a strategy run stops its children", async () => {
  let release: () => void = () => undefined;
  const samplesHang = new Promise<void>((resolve) => (release = resolve));
  const fixture = await startServerFixture(async (body) => {
    if (requestKind(body) === "sample") await samplesHang;
    return { text: "VERDICT: TIE" };
  });
  try {
    const parent = (await (
      await fixture.request("POST", "/v1/runs", { body: { input: "Think forever.", strategy: { type: "best_of_n", samples: 2 } } })
    ).json()) as StrategyRunJson;
    await eventually(
      () => fixture.request("GET", `/v1/runs?parent_id=${parent.id}`).then(async (response) => ((await response.json()) as ListJson).data),
      (children) => children.length === 2,
    );
    const cancel = await fixture.request("POST", `/v1/runs/${parent.id}/cancel`);
    assert.ok([200, 202].includes(cancel.status));
    const stopped = await eventually(
      () => fixture.request("GET", `/v1/runs/${parent.id}`).then(async (response) => (await response.json()) as StrategyRunJson),
      (run) => finishedStatuses.includes(run.status),
    );
    assert.equal(stopped.status, "cancelled");
    const children = ((await (await fixture.request("GET", `/v1/runs?parent_id=${parent.id}`)).json()) as ListJson).data;
    assert.ok(
      children.every((child) => child.status === "cancelled"),
      `children: ${children.map((child) => child.status).join(", ")}`,
    );
  } finally {
    release();
    await fixture.close();
  }
});

test("ponder submit --samples: a worker on Redis runs the strategy as the submitted run", async () => {
  const model = await startFakeOpenAIServer(samplesAnswering(["Final answer: Paris", "Final answer: Lyon", "Final answer: Paris"]));
  const place = queueTestPlace(model.baseURL);
  const store = new PostgresRunStore({ url: place.env.DATABASE_URL as string, schema: place.env.PONDER_DATABASE_SCHEMA as string });
  const worker = spawnWorker([], place.env);
  try {
    const submitted = await runCommand("submit", ["What is the capital of France?", "--samples", "3", "--json"], place.env);
    assert.equal(submitted.code, 0, submitted.stderr);
    const { id } = JSON.parse(submitted.stdout) as { id: string };
    const record = await waitFor("the strategy to finish", async () => {
      const current = await store.getRun(id);
      return current && finishedStatuses.includes(current.status) ? current : undefined;
    });
    assert.equal(record.status, "completed", JSON.stringify(record.error));
    assert.equal(record.spec.strategy?.name, "best-of-n");
    assert.deepEqual(
      record.result?.distribution?.map(({ answer, count }) => ({ answer, count })),
      [
        { answer: "Paris", count: 2 },
        { answer: "Lyon", count: 1 },
      ],
    );
    const children = await store.listRuns({ parentId: id });
    assert.equal(children.length, 3);
    assert.ok(
      children.every((child) => child.owner?.leaseMs === 1_500),
      "the worker's short lease covers the strategy's children too",
    );
    const watched = await runCommand("watch", [id, "--json"], place.env);
    const lines = watched.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type?: string; completed?: number; status?: string });
    assert.equal(lines.filter((line) => line.type === "children").at(-1)?.completed, 3, "watch tells how the child runs stand");
    assert.equal(lines.at(-1)?.status, "completed");
    const listed = await runCommand("runs", ["--parent", id, "--json"], place.env);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { parent_id: string }[]).map((child) => child.parent_id),
      [id, id, id],
    );

    const refused = await runCommand("submit", ["x", "--samples", "2", "--research"], place.env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /two different strategies/);
  } finally {
    worker.child.kill("SIGTERM");
    await worker.exited;
    await store.close();
    await model.close();
    await place.cleanup();
  }
});

test("the OpenAI-compatible endpoints take a strategy in Ponder's own field: best-of-N behind chat.completions and responses", async () => {
  const fixture = await startServerFixture(samplesAnswering(["Final answer: 12", "Final answer: 13", "Final answer: 12"]));
  try {
    const client = fixture.client();
    const strategy = { type: "best_of_n", samples: 3, concurrency: 1 };
    const chatParams = { model: "ponder", messages: [{ role: "user" as const, content: "What is 5 + 7?" }], ponder: { strategy } };
    const completion = await client.chat.completions.create(chatParams);
    assert.match(completion.choices[0]?.message.content ?? "", /12/);
    const parent = (await (await fixture.request("GET", `/v1/runs/${completion.id}`)).json()) as StrategyRunJson;
    assert.equal(parent.strategy?.name, "best-of-n");
    assert.equal(parent.distribution?.[0]?.count, 2);

    const streamParams = { ...chatParams, stream: true as const };
    let streamed = "";
    for await (const chunk of await client.chat.completions.create(streamParams)) streamed += chunk.choices[0]?.delta.content ?? "";
    assert.match(streamed, /12/);

    const responseParams = { model: "ponder", input: "What is 5 + 7?", ponder: { strategy } };
    const answered = await client.responses.create(responseParams);
    assert.equal(answered.status, "completed");
    assert.match(answered.output_text, /12/);

    const badStrategy = await fixture.request("POST", "/v1/chat/completions", {
      body: { model: "ponder", messages: [{ role: "user", content: "x" }], ponder: { strategy: { type: "best_of_n", samples: 0 } } },
    });
    assert.equal(badStrategy.status, 400);
    assert.equal(((await badStrategy.json()) as { error: { param: string } }).error.param, "ponder.strategy.samples");
  } finally {
    await fixture.close();
  }
});

test("ponder submit --samples without Redis: the background process runs the strategy", async () => {
  const model = await startFakeOpenAIServer(samplesAnswering(["Final answer: 9", "Final answer: 9"]));
  const place = queueTestPlace(model.baseURL);
  const { REDIS_URL: _redis, DATABASE_URL: _database, ...env } = place.env;
  try {
    const submitted = await runCommand("submit", ["What is 4 + 5?", "--samples", "2", "--json"], env);
    assert.equal(submitted.code, 0, submitted.stderr);
    const { id, executor } = JSON.parse(submitted.stdout) as { id: string; executor: string };
    assert.equal(executor, "background");
    const watched = await runCommand("watch", [id], env);
    assert.equal(watched.code, 0, watched.stderr);
    assert.match(watched.stdout, /9/);
    assert.match(watched.stderr, /2 child run\(s\): 2 completed/);
  } finally {
    await model.close();
    await place.cleanup();
  }
});

test("a research request with nothing to search fails saying so, rather than staying queued with its client waiting", async () => {
  // OpenAI over Chat Completions has no hosted web search, and the local index is empty.
  const fixture = await startServerFixture(() => ({ text: "never asked" }), { config: { providers: { openai: { api: "chat" } } } });
  try {
    const response = await fixture
      .client()
      .responses.create({ model: "ponder", input: "Survey the field.", ponder: { strategy: { type: "research" } } } as never);
    assert.equal(response.status, "failed");
    assert.equal(response.error?.code, "config_error");
    assert.match(response.error?.message ?? "", /Research needs somewhere to search.*ponder index add/);
    // Chat Completions has no failed state to answer with: a 400, since no provider failed.
    const completion = fixture.client().chat.completions.create({
      model: "ponder",
      messages: [{ role: "user", content: "Survey the field." }],
      ponder: { strategy: { type: "research" } },
    } as never);
    await assert.rejects(
      completion,
      (error: { status?: number; code?: string; message?: string }) =>
        error.status === 400 && error.code === "config_error" && /somewhere to search/.test(error.message ?? ""),
    );
    assert.equal(fixture.model.requests.length, 0);
  } finally {
    await fixture.close();
  }
});
