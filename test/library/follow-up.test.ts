import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { ConversationBusyError, RunNotFoundError } from "../../src/core/errors.js";
import { runWorkspaceOf } from "../../src/config/ponder-home.js";
import { startRun } from "../../src/library/start-run.js";
import { conversationTurns } from "../../src/library/conversation-turns.js";
import { userTexts } from "../support/conversation.js";
import { conversationScript, firstAnswer, firstQuestion, followUpQuestion, rememberedAnswer } from "../support/conversation-script.js";
import { withConversation } from "../support/library-conversation.js";

// Follow-ups through the library, over real HTTP (fake OpenAI server) with the real Python sandbox.

test("a follow-up sees the first turn's tool output and works in its workspace, and its record names the conversation", async () => {
  await withConversation(conversationScript, async ({ options, server, store, home }) => {
    const first = await startRun(firstQuestion, options);
    assert.equal((await first.result).result?.answer, firstAnswer);

    const second = await startRun(followUpQuestion, { ...options, continueFrom: first.id });
    const record = await second.result;
    assert.equal(record.status, "completed", JSON.stringify(record.error));
    assert.match(record.result?.answer ?? "", rememberedAnswer);
    assert.equal(record.conversationId, first.id);
    assert.equal(record.previousRunId, first.id);
    assert.ok(!existsSync(runWorkspaceOf(home, second.id)), "the follow-up has no workspace of its own");

    // Its own log holds only its own items: the first turn is read from the store, not copied.
    const ownItems = (await store.listItems(second.id)).map((stored) => stored.item);
    assert.ok(!ownItems.some((item) => item.type === "message" && item.role === "assistant" && JSON.stringify(item).includes(firstAnswer)));
    // The model was told that the first turn's Python kernel is still there (kept by this process).
    const followUpRequest = server.requests.find((request) => userTexts(request.body).some((text) => text.includes(followUpQuestion)));
    assert.ok(followUpRequest && userTexts(followUpRequest.body).some((text) => text.includes("keeps the earlier turns' Python kernel")));

    // `followUp` continues the conversation from its latest turn, whichever turn it is called on.
    const third = await first.followUp("Thanks.");
    const thirdRecord = await third.result;
    assert.equal(thirdRecord.conversationId, first.id);
    assert.equal(thirdRecord.previousRunId, second.id);
    assert.deepEqual(
      (await conversationTurns(store, second.id)).map((turn) => turn.id),
      [first.id, second.id, third.id],
    );
  });
});

test("a follow-up on an unknown run or on an unfinished turn is refused with a typed error; on a cancelled one it goes ahead", async () => {
  const slowUnlessFollowedUp = (body: Record<string, unknown>) =>
    userTexts(body).some((text) => text.includes("And then?"))
      ? { text: "Picked up where it stopped." }
      : { text: "slow", delayMs: 60_000 };
  await withConversation(slowUnlessFollowedUp, async ({ options }) => {
    await assert.rejects(startRun("Hello?", { ...options, continueFrom: "run_unknown" }), RunNotFoundError);
    const first = await startRun("Take your time.", options);
    await assert.rejects(
      startRun("And then?", { ...options, continueFrom: first.id }),
      (error: unknown) => error instanceof ConversationBusyError && error.code === "conversation_busy" && error.runId === first.id,
    );
    first.cancel();
    const cancelled = await first.result;
    assert.equal(cancelled.status, "cancelled");
    const followUp = await startRun("And then?", { ...options, continueFrom: first.id });
    assert.equal((await followUp.result).result?.answer, "Picked up where it stopped.");
  });
});
