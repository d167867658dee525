import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
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

test("gathered lines of one turn go out in one write, in order, after the turn", async () => {
  const writes: string[] = [];
  configureLogging({ format: "json", level: "info", output: { write: (text: string) => writes.push(text) }, gather: true });
  const log = logger("worker");
  log.info("run run_1: taken");
  log.info("run run_2: taken");
  assert.equal(writes.length, 0);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(writes.length, 1);
  assert.deepEqual(
    (writes[0] ?? "")
      .trimEnd()
      .split("\n")
      .map((line) => (JSON.parse(line) as { msg: string }).msg),
    ["run run_1: taken", "run run_2: taken"],
  );
  log.info("run run_1: completed");
  configureLogging({ format: "json", level: "info", output });
  // Choosing another output writes what was gathered for the old one first.
  assert.equal(writes.length, 2);
  assert.match(writes[1] ?? "", /run run_1: completed/);
});

test("lines gathered when the process exits are written as it exits", () => {
  const logging = new URL("../../src/logging/logger.js", import.meta.url).href;
  const child = spawnSync(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { configureLogging, logger } = await import(${JSON.stringify(logging)});
       configureLogging({ format: "json", level: "info", gather: true });
       logger("worker").info("the last line");
       process.exit(3);`,
    ],
    { encoding: "utf8", env: { ...process.env, PONDER_LOG: "info" } },
  );
  assert.equal(child.status, 3);
  assert.match(child.stderr, /"msg":"the last line"/);
});
