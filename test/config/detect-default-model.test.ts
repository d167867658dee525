import { test } from "node:test";
import assert from "node:assert/strict";
import { detectDefaultModel } from "../../src/config/detect-model.js";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { ModelNotConfiguredError } from "../../src/core/errors.js";
import { closedPort } from "../support/closed-port.js";
import { temporaryHome } from "../support/temporary-home.js";

test("with no key and no Ollama, the local default model is tried; offline, its message comes first, then every way to configure a model", async () => {
  const home = temporaryHome();
  try {
    const settings = resolveSettings({}, { PONDER_HOME: home.path, OLLAMA_HOST: `127.0.0.1:${await closedPort()}` }, home.path);
    await assert.rejects(detectDefaultModel(settings, { useLocalDefault: true }), (error: unknown) => {
      assert.ok(error instanceof ModelNotConfiguredError);
      assert.match(
        error.message,
        /^No model is configured, .* the local default model is not available: The local model hf:Qwen\/Qwen3-1\.7B-GGUF:Q8_0 is not in .*models and could not be downloaded/,
      );
      assert.match(
        error.hint ?? "",
        /^Download the GGUF file on a machine with internet access and pass --model local:\/path\/to\/model\.gguf/,
      );
      assert.match(error.hint ?? "", /Configure a model in one of these ways:[\s\S]*OPENAI_API_KEY or ANTHROPIC_API_KEY/);
      return true;
    });
  } finally {
    home.remove();
  }
});

test("a provider key still wins over the local default", async () => {
  const settings = resolveSettings({}, { PONDER_HOME: "/nonexistent", OPENAI_API_KEY: "k" }, "/");
  assert.equal(await detectDefaultModel(settings), "openai:gpt-5-mini");
});

test("callers that only look (doctor, server start) never fetch the local default", async () => {
  const home = temporaryHome();
  try {
    const settings = resolveSettings({}, { PONDER_HOME: home.path, OLLAMA_HOST: `127.0.0.1:${await closedPort()}` }, home.path);
    await assert.rejects(detectDefaultModel(settings), (error: unknown) => {
      assert.ok(error instanceof ModelNotConfiguredError);
      assert.doesNotMatch(error.message, /local default model/);
      return true;
    });
  } finally {
    home.remove();
  }
});
