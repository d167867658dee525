// Every tool Ponder ships must fit in the grammar a local model's turns are constrained by:
// llama.cpp itself parses it here (no model file needed), as it does before each turn.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SettingsCache } from "../../../src/config/settings-cache.js";
import { builtinTools } from "../../../src/library/builtin-tools.js";
import { toolDefinitions } from "../../../src/loop/tool-definitions.js";
import { loadLlama } from "../../../src/models/local/loaded-models.js";
import { toolTurnSchema } from "../../../src/models/local/tool-turn-format.js";
import { ToolRegistry } from "../../../src/tools/registry.js";
import { createRecallTool } from "../../../src/tools/recall/recall-tool.js";
import { temporaryHome } from "../../support/temporary-home.js";

test("llama.cpp accepts the grammar of every built-in tool at once, update_plan and recall included", async () => {
  const home = temporaryHome();
  try {
    const settings = new SettingsCache({ PONDER_HOME: home.path }, home.path).resolve({ model: "local:/nowhere.gguf" });
    const registry = new ToolRegistry([...builtinTools(settings.toolSettings).list(), createRecallTool(() => undefined, 8_000)]);
    const tools = toolDefinitions(registry);
    for (const name of ["python", "read_page", "update_plan", "recall"]) assert.ok(registry.get(name), `${name} is offered`);
    const llama = await loadLlama();
    const grammar = await llama.createGrammarForJsonSchema(toolTurnSchema(tools) as never);
    assert.match(grammar.grammar, /"\\"update_plan\\""/);
    // The schema's own bounds are not in the grammar (the loop validates them): no 50 × 300 repetitions.
    assert.doesNotMatch(grammar.grammar, /\{0,49\}|\{1,300\}/);
  } finally {
    home.remove();
  }
});
