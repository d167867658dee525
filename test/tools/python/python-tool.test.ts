// The `python` tool as the loop calls it: one kernel per run through RunResources, content the
// model reads, artifacts, aborts, and the refusal to run unsandboxed without the named opt-in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SandboxUnavailableError, isAbortError } from "../../../src/core/errors.js";
import { createPythonTool, pythonTool } from "../../../src/tools/python/python-tool.js";
import { testSettings, toolContext } from "./python-test-support.js";

const missingBwrap = "/nonexistent/bwrap";

test("the tool describes itself and validates its arguments", () => {
  assert.equal(pythonTool.name, "python");
  assert.equal(pythonTool.effects, "write");
  assert.match(pythonTool.description, /persist/);
  assert.match(pythonTool.description, /\/workspace/);
  assert.ok(pythonTool.parameters.safeParse({ code: "1" }).success);
  assert.ok(!pythonTool.parameters.safeParse({ source: "1" }).success);
});

test("one kernel per run: state carries across calls through the run's resources", async () => {
  const { context, dispose } = await toolContext();
  try {
    await pythonTool.run({ code: "total = 40" }, context);
    const output = await pythonTool.run({ code: "total + 2" }, { ...context, callId: "call-2" });
    assert.equal(output.content, "42");
    const other = await toolContext();
    try {
      const separate = await pythonTool.run({ code: "'total' in globals()" }, other.context);
      assert.equal(separate.content, "False");
    } finally {
      await other.dispose();
    }
  } finally {
    await dispose();
  }
});

test("an exception is content the model reads, marked as an error, after the output", async () => {
  const { context, dispose } = await toolContext();
  try {
    const output = await pythonTool.run({ code: "print('partial')\n[1][5]" }, context);
    assert.equal(typeof output.content, "string");
    assert.match(
      String(output.content),
      /^partial\n\nError: the code raised IndexError \(the kernel and its variables are kept\)\.\nTraceback/,
    );
    const memory = await pythonTool.run({ code: "bytearray(10**12)" }, context);
    assert.match(String(memory.content), new RegExp(`MemoryError.*about ${testSettings.memoryMb} MB`));
    assert.equal((await pythonTool.run({ code: "pass" }, context)).content, "(no output)");
  } finally {
    await dispose();
  }
});

test("saved files come back as artifacts and are named in the content", async () => {
  const { context, dispose } = await toolContext();
  try {
    const output = await pythonTool.run({ code: "import pandas as pd\npd.DataFrame({'a': [1, 2]}).to_csv('table.csv')" }, context);
    assert.deepEqual(output.artifacts, [{ path: `${context.workspace}/table.csv`, name: "table.csv", mediaType: "text/csv" }]);
    assert.match(String(output.content), /Files saved \(shown to the user\): table.csv/);
  } finally {
    await dispose();
  }
});

test("the context's abort signal stops the call promptly", async () => {
  const controller = new AbortController();
  const { context, dispose } = await toolContext({ signal: controller.signal });
  try {
    await pythonTool.run({ code: "1" }, context);
    setTimeout(() => controller.abort(), 200);
    // The sandbox's 2 s CPU limit would end the loop with a ToolError: an abort error proves the abort came first.
    await assert.rejects(pythonTool.run({ code: "while True:\n    pass" }, context), (error: unknown) => isAbortError(error));
  } finally {
    await dispose();
  }
});

test("without bubblewrap and without the opt-in, code is refused with both fixes named", async () => {
  const tool = createPythonTool({ bwrapPath: missingBwrap });
  const { context, dispose } = await toolContext();
  try {
    await assert.rejects(tool.run({ code: "print('must not run')" }, context), (error: unknown) => {
      assert.ok(error instanceof SandboxUnavailableError);
      assert.match(error.message, /bubblewrap/);
      assert.match(error.hint ?? "", /apt-get install bubblewrap/);
      assert.match(error.hint ?? "", /--unsafe-no-sandbox/);
      assert.match(error.hint ?? "", /PONDER_UNSAFE_NO_SANDBOX=1/);
      return true;
    });
  } finally {
    await dispose();
  }
});

test("with the unsafe opt-in, code runs unsandboxed under the same limits and says so", async () => {
  const tool = createPythonTool({ bwrapPath: missingBwrap });
  const { context, dispose } = await toolContext({ sandbox: { ...testSettings, unsafeNoSandbox: true } });
  try {
    const output = await tool.run(
      { code: "import os, resource\nprint(os.getcwd() == os.environ['HOME'], resource.getrlimit(resource.RLIMIT_NPROC)[0])" },
      context,
    );
    const content = String(output.content);
    assert.match(content, /^WARNING: UNSAFE MODE - this code ran WITHOUT a sandbox/);
    assert.match(content, new RegExp(`True ${testSettings.maxProcesses}`));
    assert.match(content, /True/);
    assert.equal((await tool.run({ code: "os.getuid() != 0" }, context)).content.toString().split("\n\n")[1], "True");
  } finally {
    await dispose();
  }
});
