import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { detectDefaultModel } from "../../src/config/detect-model.js";
import { resolveSettings } from "../../src/config/resolve-settings.js";
import { ModelNotConfiguredError } from "../../src/core/errors.js";
import { closedPort } from "../support/closed-port.js";
import { temporaryHome } from "../support/temporary-home.js";

test("with no key and no Ollama, nothing is downloaded: the error lists every way to configure a model", async () => {
  const home = temporaryHome();
  try {
    const settings = resolveSettings({}, { PONDER_HOME: home.path, OLLAMA_HOST: `127.0.0.1:${await closedPort()}` }, home.path);
    await assert.rejects(detectDefaultModel(settings, { useLocalDefault: true }), (error: unknown) => {
      assert.ok(error instanceof ModelNotConfiguredError);
      assert.equal(error.message, "No model is configured: no provider key is set and no local Ollama answered.");
      assert.match(error.hint ?? "", /Configure a model in one of these ways:[\s\S]*OPENAI_API_KEY or ANTHROPIC_API_KEY/);
      assert.match(
        error.hint ?? "",
        /ponder ask --model local:default "\.\.\." +\(downloads Qwen3 1\.7B \(Q8_0 GGUF, about 1\.8 GB\) once/,
      );
      return true;
    });
  } finally {
    home.remove();
  }
});

test("the local default model, once downloaded, is used when nothing else is configured", async () => {
  const home = temporaryHome();
  try {
    mkdirSync(join(home.path, "models"));
    writeFileSync(join(home.path, "models", "hf_Qwen_Qwen3-1.7B.Q8_0.gguf"), "GGUF");
    const settings = resolveSettings({}, { PONDER_HOME: home.path, OLLAMA_HOST: `127.0.0.1:${await closedPort()}` }, home.path);
    assert.equal(await detectDefaultModel(settings, { useLocalDefault: true }), "local:default");
    await assert.rejects(detectDefaultModel(settings), ModelNotConfiguredError, "callers that only look never pick it");
  } finally {
    home.remove();
  }
});

test("a provider key still wins over the local default", async () => {
  const settings = resolveSettings({}, { PONDER_HOME: "/nonexistent", OPENAI_API_KEY: "k" }, "/");
  assert.equal(await detectDefaultModel(settings), "openai:gpt-5-mini");
});
