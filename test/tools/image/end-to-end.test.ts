// The image tools in a real run: a fake OpenAI server (real HTTP) plays a model that crops the
// user's attached image; the next request must carry the cropped image back to the model, in
// the tool result (Responses API) or in a user message after it (Chat Completions).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { runWorkspaceOf } from "../../../src/config/ponder-home.js";
import type { ArtifactItem, FunctionCallOutputItem } from "../../../src/core/items.js";
import { startRun } from "../../../src/library/start-run.js";
import { createImageTools } from "../../../src/tools/image/image-tools.js";
import { SqliteRunStore } from "../../../src/store/sqlite-run-store.js";
import { startFakeOpenAIServer, type FakeServerOptions, type RecordedRequest, type RequestBody } from "../../support/fake-openai-server.js";
import { toolResults } from "../../support/conversation.js";
import { temporaryHome } from "../../support/temporary-home.js";
import { near, pixelAt, quadrantColours, quadrantImage } from "./image-test-support.js";

const cropCall = {
  name: "image_crop",
  arguments: JSON.stringify({ path: "attachments/quadrants.png", box: { left: 200, top: 0, width: 200, height: 150 } }),
};

async function withRun(
  options: FakeServerOptions,
  env: Record<string, string>,
  body: (context: { run: () => Promise<{ store: SqliteRunStore; runId: string }>; requests: RecordedRequest[] }) => Promise<void>,
) {
  const server = await startFakeOpenAIServer(options);
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  const picture = await quadrantImage();
  try {
    const run = async () => {
      const handle = await startRun("What colour is the top-right quarter of attachments/quadrants.png?", {
        model: "openai:gpt-4o",
        env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, ...env },
        home: home.path,
        store,
        tools: createImageTools(),
        // The attachment is placed where the CLI copies `--image` files, before the first model turn.
        onEvent: (event) => {
          if (event.type !== "run-started") return;
          const attachments = join(runWorkspaceOf(home.path, event.runId), "attachments");
          mkdirSync(attachments, { recursive: true });
          writeFileSync(join(attachments, "quadrants.png"), picture);
        },
      });
      const record = await handle.result;
      assert.equal(record.status, "completed", record.error?.message);
      assert.equal(record.result?.answer, "Green.");
      return { store, runId: record.id };
    };
    await body({ run, requests: server.requests });
  } finally {
    await store.close();
    await server.close();
    home.remove();
  }
}

const script: FakeServerOptions = (body) => (toolResults(body).length === 0 ? { toolCalls: [cropCall] } : { text: "Green." });

test("Responses API: the cropped image comes back inside the tool result", async () => {
  await withRun(script, {}, async ({ run, requests }) => {
    const { store, runId } = await run();
    const second = requests[1]?.body;
    assert.ok(second, "the model was asked again after the tool ran");
    const output = (second.input as RequestBody[]).find((entry) => entry.type === "function_call_output");
    assert.ok(Array.isArray(output?.output), `tool output with parts, got ${JSON.stringify(output)?.slice(0, 300)}`);
    const image = (output.output as RequestBody[]).find((part) => part.type === "input_image");
    const text = (output.output as RequestBody[]).find((part) => part.type === "input_text");
    assert.match(String(text?.text), /→ images\/crop-1\.png \(200x150 PNG\)/);
    await assertGreenCrop(String(image?.image_url));

    const items = (await store.listItems(runId)).map((stored) => stored.item);
    const artifact = items.find((item): item is ArtifactItem => item.type === "artifact");
    assert.equal(artifact?.name, "images/crop-1.png");
    assert.equal(artifact?.media_type, "image/png");
    const recorded = items.find((item): item is FunctionCallOutputItem => item.type === "function_call_output");
    assert.equal(recorded?.error_kind, undefined);
  });
});

test("Chat Completions: the tool message names the image and a user message carries it", async () => {
  await withRun(script, { PONDER_OPENAI_API: "chat" }, async ({ run, requests }) => {
    await run();
    const messages = requests[1]?.body.messages as RequestBody[];
    const toolMessage = messages.find((message) => message.role === "tool");
    assert.match(String(toolMessage?.content), /→ images\/crop-1\.png \(200x150 PNG\)\.[\s\S]*\[image 1: in the next user message\]/);
    const imageMessage = messages.at(-1);
    assert.equal(imageMessage?.role, "user");
    const part = (imageMessage?.content as RequestBody[]).find((entry) => entry.type === "image_url");
    await assertGreenCrop(String(part?.image_url?.url));
  });
});

async function assertGreenCrop(dataUrl: string): Promise<void> {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  assert.ok(match, `a PNG data URL, got ${dataUrl.slice(0, 60)}`);
  const data = Buffer.from(match[1] ?? "", "base64");
  const metadata = await sharp(data).metadata();
  assert.equal(metadata.width, 200);
  assert.equal(metadata.height, 150);
  assert.ok(near(await pixelAt(data, 100, 75), quadrantColours.topRight));
}
