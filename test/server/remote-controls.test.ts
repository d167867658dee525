import { test } from "node:test";
import assert from "node:assert/strict";
import type { FakeTurn, RequestBody } from "../support/fake-openai-server.js";
import { toolResults, userTexts } from "../support/conversation.js";
import { runCommand, waitFor } from "../queue/queue-test-support.js";
import { startServerFixture } from "./server-fixture.js";

// A slow tool call gives time to steer; a tool call that outlasts the test is there to be cancelled.
function script(body: RequestBody): FakeTurn {
  const texts = userTexts(body);
  const steering = texts.find((text) => text.startsWith("STEER"));
  if (steering) return { text: `Steered by: ${steering}` };
  const seconds = texts[0]?.includes("cancel") ? 120 : 2;
  if (toolResults(body).length === 0)
    return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: `import time; time.sleep(${seconds}); print('slept')` }) }] };
  return { text: "Done without steering." };
}

test("steer and cancel over HTTP reach a run that another process advances", async () => {
  const fixture = await startServerFixture(script);
  // `ponder submit` without Redis: a background process of its own advances the run, not the server.
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: fixture.home,
    PONDER_HOME: fixture.home,
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: fixture.model.baseURL,
    PONDER_MODEL: "openai:gpt-5-mini",
  };
  const submit = async (task: string): Promise<string> => {
    const submitted = await runCommand("submit", [task, "--json"], env);
    assert.equal(submitted.code, 0, submitted.stderr);
    return (JSON.parse(submitted.stdout) as { id: string }).id;
  };
  const getRun = async (id: string) =>
    (await (await fixture.request("GET", `/v1/runs/${id}`)).json()) as { status: string; live: boolean; answer: string | null };
  try {
    const slow = await submit("Sleep a little, then answer.");
    await waitFor("the slow run to start elsewhere", async () => ((await getRun(slow)).status === "running" ? true : undefined));
    assert.equal((await getRun(slow)).live, false, "the server does not advance it");
    const steered = await fixture.request("POST", `/v1/runs/${slow}/steer`, { body: { message: "STEER: answer in French" } });
    assert.equal(steered.status, 202);
    const finished = await waitFor("the steered run to finish", async () => {
      const run = await getRun(slow);
      return run.status === "completed" ? run : undefined;
    });
    assert.equal(finished.answer, "Steered by: STEER: answer in French", "the message reached the model at the next step");

    const doomed = await submit("Sleep long so I can cancel you.");
    await waitFor("the doomed run to start elsewhere", async () => ((await getRun(doomed)).status === "running" ? true : undefined));
    const cancelled = await fixture.request("POST", `/v1/runs/${doomed}/cancel`);
    assert.equal(cancelled.status, 202, "the other process is asked to stop it");
    await waitFor("the doomed run to be cancelled", async () => ((await getRun(doomed)).status === "cancelled" ? true : undefined));
    assert.equal((await fixture.request("POST", `/v1/runs/${doomed}/steer`, { body: { message: "too late" } })).status, 409);
  } finally {
    await fixture.close();
  }
});

test("ponder steer --interrupt stops a long model turn in another process; the model reads the message at once", async () => {
  let release: () => void = () => undefined;
  const longTurn = new Promise<void>((resolve) => (release = resolve));
  const fixture = await startServerFixture(async (body) => {
    const steering = userTexts(body).find((text) => text.startsWith("STEER"));
    if (steering) return { text: `Steered by: ${steering}` };
    await longTurn;
    return { text: "Too late." };
  });
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: fixture.home,
    PONDER_HOME: fixture.home,
    OPENAI_API_KEY: "test-key",
    OPENAI_BASE_URL: fixture.model.baseURL,
    PONDER_MODEL: "openai:gpt-5-mini",
  };
  try {
    const submitted = await runCommand("submit", ["Think for a very long time.", "--json"], env);
    const { id } = JSON.parse(submitted.stdout) as { id: string };
    await waitFor("the long model turn to start", () => (fixture.model.requests.length > 0 ? true : undefined));
    const steered = await runCommand("steer", [id, "STEER: stop and answer", "--interrupt"], env);
    assert.equal(steered.code, 0, steered.stderr);
    const finished = await waitFor("the run to finish", async () => {
      const run = (await (await fixture.request("GET", `/v1/runs/${id}`)).json()) as { status: string; answer: string | null };
      return run.status === "completed" ? run : undefined;
    });
    assert.equal(finished.answer, "Steered by: STEER: stop and answer");
  } finally {
    release();
    await fixture.close();
  }
});
