import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SettingsCache } from "../../src/config/settings-cache.js";
import { ConfigError } from "../../src/core/errors.js";
import { modelFromSettings } from "../../src/config/model-from-settings.js";
import { builtinTools } from "../../src/library/builtin-tools.js";
import { selectRunTools } from "../../src/library/run-tools.js";
import { temporaryHome } from "../support/temporary-home.js";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("SettingsCache", () => {
  it("gives the same settings for the same direct settings, and their tools without rebuilding them", () => {
    const home = temporaryHome();
    try {
      const cache = new SettingsCache({ PONDER_HOME: home.path }, home.path);
      const first = cache.resolve({ model: "openai:gpt-4o-mini", effort: "low" });
      assert.equal(cache.resolve({ model: "openai:gpt-4o-mini", effort: "low" }), first);
      const high = cache.resolve({ model: "openai:gpt-4o-mini", effort: "high" });
      assert.notEqual(high, first, "another effort is another budget");
      assert.ok((high.budget.maxSteps ?? 0) > (first.budget.maxSteps ?? 0));
      assert.equal(builtinTools(first.toolSettings), builtinTools(first.toolSettings));
    } finally {
      home.remove();
    }
  });

  it("shares remote model clients and the default tool choice between runs, never a registry or a scripted model", async () => {
    const home = temporaryHome();
    try {
      const script = join(home.path, "script.json");
      writeFileSync(script, JSON.stringify({ turns: [{ text: "hi" }] }));
      const cache = new SettingsCache({ PONDER_HOME: home.path, OPENAI_API_KEY: "key", PONDER_OPENAI_API: "chat" }, home.path);
      const settings = cache.resolve({ model: "openai:gpt-4o-mini" });
      assert.equal(await modelFromSettings(undefined, settings), await modelFromSettings("openai:gpt-4o-mini", settings));
      assert.notEqual(
        await modelFromSettings(`scripted:${script}`, settings),
        await modelFromSettings(`scripted:${script}`, settings),
        "a script has a position of its own",
      );
      const first = selectRunTools(undefined, settings, true);
      const second = selectRunTools(undefined, settings, true);
      assert.deepEqual(second.names, first.names);
      assert.notEqual(second.registry, first.registry);
      first.registry.addSource(() => []);
      first.names.push("extra");
      assert.deepEqual(selectRunTools(undefined, settings, true).names, second.names, "what one run changes stays its own");
      assert.ok(
        !selectRunTools(undefined, settings, false).names.some((name) => name.startsWith("image_")),
        "a model that cannot see gets no image tools",
      );
    } finally {
      home.remove();
    }
  });

  it("reads an edited config file once its settings are older than the lifetime", async () => {
    const home = temporaryHome();
    try {
      const config = join(home.path, "ponder.config.json");
      writeFileSync(config, JSON.stringify({ model: "openai:gpt-4o-mini" }));
      const cache = new SettingsCache({ PONDER_HOME: home.path }, home.path, 50);
      assert.equal(cache.resolve({}).model, "openai:gpt-4o-mini");
      writeFileSync(config, JSON.stringify({ model: "anthropic:claude-sonnet-4-5" }));
      assert.equal(cache.resolve({}).model, "openai:gpt-4o-mini", "within the lifetime");
      await wait(60);
      assert.equal(cache.resolve({}).model, "anthropic:claude-sonnet-4-5");
    } finally {
      home.remove();
    }
  });

  it("keeps no error: a broken config fails every run until it is fixed, then works at once", () => {
    const home = temporaryHome();
    try {
      const config = join(home.path, "ponder.config.json");
      writeFileSync(config, "{ not json");
      const cache = new SettingsCache({ PONDER_HOME: home.path }, home.path);
      assert.throws(() => cache.resolve({}), ConfigError);
      assert.throws(() => cache.resolve({}), ConfigError);
      writeFileSync(config, JSON.stringify({ effort: "high" }));
      assert.equal(cache.resolve({}).effort, "high");
    } finally {
      home.remove();
    }
  });
});
