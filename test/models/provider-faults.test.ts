// Provider faults are infrastructure faults: a provider that answers 200 with garbage, sends an
// empty stream, cuts or ends its stream halfway, never answers, or stops sending halfway is
// retried by the policy, and when the attempts run out the run fails with model_call_failed
// (never a completed run with a made-up answer). A fault followed by a good answer succeeds.
// Every client kind Ponder has, over real HTTP, with tiny timeouts and retry waits.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { ask } from "../../src/library/ask.js";
import { resolveModel } from "../../src/models/resolve-model.js";
import type { ProviderSettings } from "../../src/models/provider-settings.js";
import { type ProviderFault, providerFaults, startFaultyProvider } from "../support/faulty-provider.js";
import { temporaryHome } from "../support/temporary-home.js";
import { startUnacceptingPort } from "../support/unaccepting-port.js";

const attempts = 2;
const idleTimeoutMs = 500;
const connectTimeoutMs = 300;
const calls: ProviderSettings["calls"] = {
  connectTimeoutMs,
  idleTimeoutMs,
  retry: { maxAttempts: attempts, initialDelayMs: 1, maxDelayMs: 1 },
};

const clientKinds: { name: string; modelId: string; settings: (baseURL: string) => ProviderSettings }[] = [
  { name: "Ponder's Chat Completions client", modelId: "compat:small", settings: (baseURL) => ({ compat: { baseURL }, calls }) },
  { name: "AI SDK openai-compatible", modelId: "compat:small", settings: (baseURL) => ({ compat: { baseURL, client: "ai-sdk" }, calls }) },
  {
    name: "AI SDK OpenAI Responses",
    modelId: "openai:gpt-5-mini",
    settings: (baseURL) => ({ openai: { baseURL, apiKey: "test-key" }, calls }),
  },
  {
    name: "AI SDK Anthropic",
    modelId: "anthropic:claude-sonnet-4-5",
    settings: (baseURL) => ({ anthropic: { baseURL, apiKey: "test-key" }, calls }),
  },
];

/** What the run's error says for each fault, whichever client met it. */
const expectedMessage: Record<ProviderFault, RegExp> = {
  garbage: /could not read|without any output/,
  "empty-stream": /without any output/,
  "cut-mid-stream": /failed: .*(closed|socket hang up)/,
  "ends-mid-stream": /before the turn finished|could not read/,
  "never-answers": /timed out: the server sent nothing within the idle timeout/,
  "stalls-mid-stream": /timed out: the server sent nothing within the idle timeout/,
};
// Faults a call that is not streamed also meets (a JSON body instead of a stream).
const unstreamedFaults: ProviderFault[] = ["garbage", "cut-mid-stream", "ends-mid-stream", "never-answers"];

const home = temporaryHome();
after(() => home.remove());

async function askThrough(kind: (typeof clientKinds)[number], plan: (index: number) => ProviderFault | "good", stream: boolean) {
  const provider = await startFaultyProvider(plan);
  try {
    const model = resolveModel(kind.modelId, kind.settings(provider.baseURL));
    const result = await ask("What is the answer?", { model, tools: [], home: home.path, env: {}, cwd: home.path, stream });
    return { result, requests: provider.requests };
  } finally {
    await provider.close();
  }
}

for (const kind of clientKinds) {
  describe(`provider faults through ${kind.name}`, { concurrency: true }, () => {
    for (const [fault, stream] of [
      ...providerFaults.map((fault) => [fault, true] as const),
      ...unstreamedFaults.map((fault) => [fault, false] as const),
    ]) {
      const how = stream ? "streamed" : "not streamed";
      it(`${fault} (${how}): retried, then the run fails with model_call_failed`, async () => {
        const { result, requests } = await askThrough(kind, () => fault, stream);
        assert.equal(result.status, "failed", `answer: ${result.answer}`);
        assert.equal(result.error?.code, "model_call_failed");
        assert.match(result.error?.message ?? "", expectedMessage[fault]);
        assert.match(result.error?.message ?? "", new RegExp(`failed ${attempts} times in a row`));
        assert.equal(requests, attempts, "one call and one retry");
      });

      it(`${fault} (${how}) then a good answer: the retry succeeds`, async () => {
        const { result, requests } = await askThrough(kind, (index) => (index === 0 ? fault : "good"), stream);
        assert.equal(result.status, "completed", result.error?.message);
        assert.equal(result.answer, "The answer is 42.");
        assert.equal(requests, 2);
      });
    }

    it("a server that never takes the connection: the connect timeout, retried, then the run fails", async () => {
      const unaccepting = await startUnacceptingPort();
      try {
        const model = resolveModel(kind.modelId, kind.settings(`http://127.0.0.1:${unaccepting.port}/v1`));
        const result = await ask("What is the answer?", { model, tools: [], home: home.path, env: {}, cwd: home.path });
        assert.equal(result.status, "failed", `answer: ${result.answer}`);
        assert.equal(result.error?.code, "model_call_failed");
        assert.match(
          result.error?.message ?? "",
          /timed out: the connection did not open within the connect timeout.*\(failed 2 times in a row\)/,
        );
      } finally {
        unaccepting.close();
      }
    });
  });
}
