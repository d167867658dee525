// The set of image tools as a run registers them: names, effects, schemas every provider takes,
// and the settings the config file can set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { ToolRegistry } from "../../../src/tools/registry.js";
import { createImageTools, imageTools } from "../../../src/tools/image/image-tools.js";
import { defaultImageToolSettings, imageToolSettingsSchema, resolveImageToolSettings } from "../../../src/tools/image/image-settings.js";

test("seven tools with distinct names; only image_info is read-only, the rest write new files", () => {
  const registry = new ToolRegistry(imageTools);
  assert.deepEqual(registry.names(), [
    "image_view",
    "image_info",
    "image_grid",
    "image_crop",
    "image_zoom",
    "image_enhance",
    "image_rotate",
  ]);
  for (const tool of imageTools) {
    assert.equal(tool.effects, tool.name === "image_info" ? "read" : "write", tool.name);
    // OpenAI and Anthropic take only a plain object at the top of a tool's schema.
    const schema = z.toJSONSchema(tool.parameters, { io: "input" }) as Record<string, unknown>;
    assert.equal(schema.type, "object", tool.name);
    assert.equal(schema.anyOf ?? schema.oneOf, undefined, tool.name);
    assert.ok((schema.required as string[] | undefined)?.includes("path") ?? tool.name === "image_info", tool.name);
  }
});

test("settings: defaults, overrides, and the config section's schema", () => {
  assert.deepEqual(resolveImageToolSettings(), defaultImageToolSettings);
  assert.equal(resolveImageToolSettings({ maxOutputSide: 1024 }).maxOutputSide, 1024);
  assert.ok(imageToolSettingsSchema.safeParse({ maxOutputSide: 1568 }).success);
  assert.ok(!imageToolSettingsSchema.safeParse({ maxOutputSide: 10 }).success);
  assert.ok(!imageToolSettingsSchema.safeParse({ maxSide: 1000 }).success, "unknown fields are named, not ignored");
  const tools = createImageTools({ maxOutputSide: 1024 });
  assert.match(tools.find((tool) => tool.name === "image_view")?.description ?? "", /larger than 1024 px/);
});
