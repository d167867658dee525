import { test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { runWorkspaceOf } from "../../src/config/ponder-home.js";
import { keptKernels } from "../../src/tools/python/kept-kernels.js";
import { defineQuestion, keptAnswer, kernelMemoryScript, recallQuestion } from "../support/kernel-memory-script.js";
import { startServerFixture } from "./server-fixture.js";

// Conversations over /v1/responses with the real Python sandbox: the follow-up's code reads a
// variable that only the first turn's code defined, so it answers right only if the server kept
// the conversation's kernel between the two requests.

test("POST /v1/responses with previous_response_id: turn 2's Python reads the variable turn 1 defined", async () => {
  // The setting comes from the config file, as a deployment sets it.
  const fixture = await startServerFixture(kernelMemoryScript, { config: { sandbox: { idleKernelMinutes: 5 } } });
  let workspace = "";
  let stopped: Promise<unknown[]> | undefined;
  try {
    const client = fixture.client();
    const first = await client.responses.create({ model: "ponder", input: defineQuestion });
    assert.equal(first.status, "completed");
    const second = await client.responses.create({ model: "ponder", input: recallQuestion, previous_response_id: first.id });
    assert.match(second.output_text, keptAnswer);
    // The kernel is kept for a third turn until the server shuts down, which stops it.
    workspace = runWorkspaceOf(fixture.home, first.id);
    stopped = once(keptKernels, "kernel-stopped");
  } finally {
    await fixture.close();
  }
  const [event] = (await stopped) as [{ workspace: string; reason: string }];
  assert.deepEqual(event, { workspace, reason: "was stopped when the server shut down" });
  assert.equal(keptKernels.take(workspace), undefined);
});

test("two follow-ups of one response at the same time: one is answered, the other gets 409 conversation_busy", async () => {
  const fixture = await startServerFixture(() => ({ text: "Done." }));
  try {
    const first = await fixture.client().responses.create({ model: "ponder", input: "Say done." });
    const responses = await Promise.all(
      ["Follow-up A.", "Follow-up B."].map((input) =>
        fixture.request("POST", "/v1/responses", { body: { model: "ponder", input, previous_response_id: first.id } }),
      ),
    );
    assert.deepEqual(responses.map((response) => response.status).sort(), [200, 409]);
    const refused = responses.find((response) => response.status === 409) as Response;
    const body = (await refused.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "conversation_busy");
    assert.match(body.error.message, /follow-up/);
  } finally {
    await fixture.close();
  }
});
