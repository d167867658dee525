import { test } from "node:test";
import assert from "node:assert/strict";
import { ConversationBusyError } from "../../src/core/errors.js";
import type { RunRecord } from "../../src/core/run.js";
import { runWorkspaceOf } from "../../src/config/ponder-home.js";
import { startRun } from "../../src/library/start-run.js";
import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { keptKernels, type KernelStoppedEvent } from "../../src/tools/python/kept-kernels.js";
import type { FakeOpenAIServer } from "../support/fake-openai-server.js";
import { userTexts } from "../support/conversation.js";
import { defineQuestion, forgottenAnswer, keptAnswer, kernelMemoryScript, recallQuestion } from "../support/kernel-memory-script.js";
import { withConversation } from "../support/library-conversation.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";

// The Python kernel between a conversation's turns, through the library, over real HTTP (fake
// OpenAI server) with the real sandbox: a follow-up's code reads a variable only turn 1 defined.

/** The user texts of the model request that carried `question`. */
function requestTexts(server: FakeOpenAIServer, question: string): string[] {
  const request = server.requests.find((candidate) => userTexts(candidate.body).some((text) => text.includes(question)));
  return request ? userTexts(request.body) : [];
}

test("a follow-up's Python reads the variables the earlier turn's code defined: the kernel is kept, and the model is told so", async () => {
  await withConversation(kernelMemoryScript, async ({ options, server, home }) => {
    const first = await startRun(defineQuestion, options);
    assert.equal((await first.result).status, "completed");
    const second = await startRun(recallQuestion, { ...options, continueFrom: first.id });
    const record = await second.result;
    assert.match(record.result?.answer ?? "", keptAnswer, JSON.stringify(record.error));
    assert.ok(requestTexts(server, recallQuestion).some((text) => text.includes("keeps the earlier turns' Python kernel")));
    await keptKernels.stop(runWorkspaceOf(home, first.id), "the test ended");
  });
});

test("an idle kernel is stopped after sandbox.idleKernelMinutes; the follow-up's model is told why its state is gone", async () => {
  await withConversation(kernelMemoryScript, async ({ options, server, home }) => {
    // 30 ms: the kernel is stopped as soon as the first turn has handed it over.
    const idleOptions = { ...options, sandbox: { idleKernelMinutes: 0.0005 } };
    const first = await startRun(defineQuestion, idleOptions);
    const workspace = runWorkspaceOf(home, first.id);
    const stopped = new Promise<KernelStoppedEvent>((resolve) => {
      const listener = (event: KernelStoppedEvent) => {
        if (event.workspace !== workspace) return;
        keptKernels.off("kernel-stopped", listener);
        resolve(event);
      };
      keptKernels.on("kernel-stopped", listener);
    });
    assert.equal((await first.result).status, "completed");
    assert.match((await stopped).reason, /was stopped after 0\.03 s without use \(sandbox\.idleKernelMinutes\)/);

    const second = await startRun(recallQuestion, { ...idleOptions, continueFrom: first.id });
    assert.equal((await second.result).result?.answer, forgottenAnswer);
    assert.ok(
      requestTexts(server, recallQuestion).some((text) =>
        text.includes("the earlier turns' Python kernel was stopped after 0.03 s without use (sandbox.idleKernelMinutes)"),
      ),
    );
  });
});

for (const kind of ["sqlite", "postgres"] as const) {
  test(`two follow-ups of one turn at the same time (${kind}): one continues the conversation, the other is refused with ConversationBusyError`, async () => {
    const schema = temporarySchema();
    await withConversation(
      (body) => ({ text: `Answered ${userTexts(body).length} questions.` }),
      async ({ options }) => {
        const first = await startRun("First question.", { ...options, tools: [] });
        await first.result;
        const outcomes = await Promise.allSettled(
          ["Follow-up A.", "Follow-up B."].map(
            async (text) => (await startRun(text, { ...options, tools: [], continueFrom: first.id })).result,
          ),
        );
        const started = outcomes.filter((outcome) => outcome.status === "fulfilled");
        const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason as unknown] : []));
        assert.equal(started.length, 1);
        assert.equal(refused.length, 1);
        assert.ok(refused[0] instanceof ConversationBusyError && refused[0].code === "conversation_busy", String(refused[0]));
        const winner = (started[0] as PromiseFulfilledResult<RunRecord>).value;
        assert.equal(winner.previousRunId, first.id);
        assert.equal(winner.result?.answer, "Answered 2 questions.");
      },
      kind === "sqlite" ? undefined : () => new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name }),
    ).finally(() => schema.drop());
  });
}
