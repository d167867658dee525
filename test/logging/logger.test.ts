import assert from "node:assert/strict";
import { after, test } from "node:test";
import { configureLogging, logFormatFromEnvironment, logged, logger, logLevelFromEnvironment } from "../../src/logging/logger.js";

// The level asked in the environment would override the ones these tests choose.
delete process.env.PONDER_LOG;
const lines: string[] = [];
const output = { write: (text: string) => lines.push(text) };
after(() => configureLogging({ format: "json", output: process.stderr }));

test("PONDER_LOG picks the level and PONDER_LOG_FORMAT the format; anything else falls back", () => {
  assert.equal(logLevelFromEnvironment({ PONDER_LOG: "DEBUG" }), "debug");
  assert.equal(logLevelFromEnvironment({ PONDER_LOG: "loud" }, "warn"), "warn");
  assert.equal(logLevelFromEnvironment({}, "warn"), "warn");
  assert.equal(logFormatFromEnvironment({ PONDER_LOG_FORMAT: "pretty" }, "json"), "pretty");
  assert.equal(logFormatFromEnvironment({ PONDER_LOG_FORMAT: "xml" }, "json"), "json");
});

test("JSON lines carry the level by name, the component and the error with its stack", async () => {
  lines.length = 0;
  configureLogging({ format: "json", level: "info", output });
  const log = logger("store");
  const value = await Promise.reject(new Error("connection reset")).catch(logged(log, "warn", "ROLLBACK failed"));
  log.debug("not shown at info");
  assert.equal(value, undefined);
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0] ?? "") as { level: string; component: string; msg: string; err: { message: string; stack: string } };
  assert.equal(entry.level, "warn");
  assert.equal(entry.component, "store");
  assert.equal(entry.msg, "ROLLBACK failed");
  assert.equal(entry.err.message, "connection reset");
  assert.match(entry.err.stack, /logger\.test\.js/);
});

test("a component's logger made before the format is chosen follows it, and the level it is given", () => {
  const log = logger("tools.mcp");
  lines.length = 0;
  configureLogging({ format: "pretty", level: "debug", output });
  log.debug({ server: "files" }, "closing an MCP client failed");
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? "", /DEBUG: tools\.mcp: closing an MCP client failed/);
  assert.match(lines[0] ?? "", /server: "files"/);
  assert.doesNotMatch(lines[0] ?? "", /^\{/);
});
