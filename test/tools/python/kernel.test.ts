// The kernel as a notebook: state between calls, shown values, tracebacks, files as artifacts,
// death and restart, aborts, and a protocol that user code cannot break.
import { test } from "node:test";
import assert from "node:assert/strict";
import { isAbortError, ToolError, ToolInfraError } from "../../../src/core/errors.js";
import { defaultSandboxSettings } from "../../../src/tools/tool.js";
import { startKernel, testSettings } from "./python-test-support.js";

test("state persists between calls and a final expression's value is shown", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    assert.equal((await kernel.run("x = 20\ndef double(value):\n    return 2 * value")).output, "");
    assert.equal((await kernel.run("import math\ndouble(x) + 2")).output, "42\n");
    assert.equal((await kernel.run("math.sqrt(16);")).output, "");
    assert.equal((await kernel.run("_ + 1")).output, "43\n");
    assert.equal((await kernel.run("print('a')\nNone")).output, "a\n");
  } finally {
    await dispose();
  }
});

test("exceptions come back as tracebacks of the cell only, and the kernel keeps its state", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    await kernel.run("kept = 'yes'");
    const result = await kernel.run("print('before')\ndef fail():\n    return 1 / 0\nfail()");
    assert.equal(result.output, "before\n");
    assert.equal(result.error?.type, "ZeroDivisionError");
    assert.match(result.error?.traceback ?? "", /File "<cell 2>", line 3, in fail\n\s+return 1 \/ 0/);
    assert.doesNotMatch(result.error?.traceback ?? "", /_ponder_kernel|run_cell/);
    const syntax = await kernel.run("def broken(:\n    pass");
    assert.equal(syntax.error?.type, "SyntaxError");
    assert.match(syntax.error?.traceback ?? "", /<cell 3>/);
    const exit = await kernel.run("import sys\nsys.exit(3)");
    assert.equal(exit.error?.type, "SystemExit");
    assert.equal((await kernel.run("kept")).output, "'yes'\n");
  } finally {
    await dispose();
  }
});

test("a kernel that exits is the code's doing: reported, and the next call starts fresh with a state-lost note", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    await kernel.run("lost = 1");
    await assert.rejects(kernel.run("import os\nos._exit(5)"), (error: unknown) => {
      assert.ok(error instanceof ToolError);
      assert.match(error.message, /exited \(exit code 5\)/);
      return true;
    });
    const next = await kernel.run("'lost' in globals()");
    assert.equal(next.output, "False\n");
    assert.match(
      next.restartNote ?? "",
      /previous one exited \(exit code 5\).*Variables, imports and functions from earlier calls are gone/,
    );
    assert.equal((await kernel.run("1")).restartNote, undefined);
    await assert.rejects(
      kernel.run("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"),
      (error: unknown) => error instanceof ToolError && /crashed \(SIGSEGV\)/.test(error.message),
    );
    assert.match((await kernel.run("2")).output, /2/);
  } finally {
    await dispose();
  }
});

test("an abort stops a running call within 2 s and the next call works", async () => {
  const { kernel, dispose } = await startKernel({ callTimeoutMs: 30_000 });
  try {
    await kernel.run("import time");
    const controller = new AbortController();
    const started = Date.now();
    const call = kernel.run("time.sleep(60)", controller.signal);
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(call, (error: unknown) => isAbortError(error));
    assert.ok(Date.now() - started < 30_000, `the 60 s sleep was cut short (took ${Date.now() - started} ms)`);
    const next = await kernel.run("print('next')");
    assert.equal(next.output, "next\n");
    assert.match(next.restartNote ?? "", /aborted/);
  } finally {
    await dispose();
  }
});

test("calls made at once run one after the other, and a queued call answers its abort at once", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const first = kernel.run("import time\ntime.sleep(0.3)\nvalue = 1");
    const second = kernel.run("value + 1");
    const controller = new AbortController();
    const third = kernel.run("value + 2", controller.signal);
    controller.abort();
    await assert.rejects(third, (error: unknown) => isAbortError(error));
    assert.equal((await first).output, "");
    assert.equal((await second).output, "2\n");
    assert.equal((await kernel.run("value")).output, "1\n");
  } finally {
    await dispose();
  }
});

test("a matplotlib plot saved to the workspace comes back as an artifact; hidden files do not", async () => {
  const { kernel, workspace, dispose } = await startKernel();
  try {
    const result = await kernel.run(
      "import matplotlib.pyplot as plt\nplt.plot([1, 4, 9])\nplt.savefig('squares.png')\n" +
        "open('.hidden', 'w').write('cache')\nimport os\nos.symlink('/etc/hostname', 'link.png')",
    );
    assert.equal(result.error, undefined, result.error?.traceback);
    assert.deepEqual(result.artifacts, [{ path: `${workspace}/squares.png`, name: "squares.png", mediaType: "image/png" }]);
    const unchanged = await kernel.run("print('nothing new')");
    assert.deepEqual(unchanged.artifacts, []);
    const rewritten = await kernel.run("plt.plot([2, 3])\nplt.savefig('squares.png')");
    assert.deepEqual(
      rewritten.artifacts.map((artifact) => artifact.name),
      ["squares.png"],
    );
  } finally {
    await dispose();
  }
});

test("numpy and pandas import and work", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const result = await kernel.run(
      "import numpy as np, pandas as pd\nframe = pd.DataFrame({'a': np.arange(4)})\n" +
        "print(frame['a'].sum(), (np.eye(200) @ np.ones(200)).sum())",
    );
    assert.equal(result.error, undefined, result.error?.traceback);
    assert.equal(result.output, "6 200.0\n");
  } finally {
    await dispose();
  }
});

// What a reasoning model reaches for beyond numpy and pandas (Debian's python3-scipy, -sympy,
// -sklearn, -statsmodels): each imported and used inside the real sandbox, under its limits.
test("scipy, sympy, scikit-learn and statsmodels import and work in the sandbox", async () => {
  // Importing all four takes a few CPU seconds: the real default, not the tests' 2 s for runaway code.
  const { kernel, dispose } = await startKernel({ settings: { ...testSettings, cpuSeconds: defaultSandboxSettings.cpuSeconds } });
  try {
    const result = await kernel.run(
      [
        "import numpy as np, scipy.optimize, sympy, sklearn.linear_model, statsmodels.api as sm",
        "root = scipy.optimize.brentq(lambda x: x**3 - 2, 0, 2)",
        "x = sympy.symbols('x')",
        "area = sympy.integrate(x**2, (x, 0, 3))",
        "inputs = np.arange(10.0)",
        "slope = sklearn.linear_model.LinearRegression().fit(inputs.reshape(-1, 1), 2 * inputs + 1).coef_[0]",
        "intercept, ols_slope = sm.OLS(2 * inputs + 1, sm.add_constant(inputs)).fit().params",
        "print(round(root, 4), area, round(slope, 6), round(intercept, 6), round(ols_slope, 6))",
      ].join("\n"),
    );
    assert.equal(result.error, undefined, result.error?.traceback);
    assert.equal(result.output, "1.2599 9 2.0 1.0 2.0\n");
  } finally {
    await dispose();
  }
});

test("a sandbox that cannot start is an infrastructure error, not a lost kernel", async () => {
  const { kernel, dispose } = await startKernel({ pythonPath: "/nonexistent/python3" });
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(kernel.run("print(1)"), (error: unknown) => {
        assert.ok(error instanceof ToolInfraError);
        assert.match(error.message, /failed to start.*\/nonexistent\/python3/);
        return true;
      });
    }
  } finally {
    await dispose();
  }
});

test("user code cannot corrupt the protocol by printing or forking", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    const frameLike = await kernel.run(
      "import sys\nprint('\\x00\\x00\\x00\\x10{\"type\":\"ready\"}')\nsys.stdout.buffer.write(b'\\x00\\x00\\x00\\x02{}')\nprint()",
    );
    assert.match(frameLike.output, /"type":"ready"/);
    // A forked child that returns from the cell instead of exiting must not answer for the kernel.
    const forked = await kernel.run("import os\npid = os.fork()\nif pid:\n    os.waitpid(pid, 0)\n'parent' if pid else 'child'");
    assert.match(forked.output, /'parent'/);
    const multiprocessing = await kernel.run(
      "import multiprocessing\ndef square(value):\n    return value * value\n" +
        "with multiprocessing.get_context('fork').Pool(2) as pool:\n    print(pool.map(square, range(5)))",
    );
    assert.equal(multiprocessing.error, undefined, multiprocessing.error?.traceback);
    assert.match(multiprocessing.output, /\[0, 1, 4, 9, 16\]/);
    assert.equal((await kernel.run("21 * 2")).output, "42\n");
  } finally {
    await dispose();
  }
});

test("garbage written straight onto the protocol socket kills the kernel cleanly", async () => {
  const { kernel, dispose } = await startKernel();
  try {
    await assert.rejects(
      kernel.run("import os\nos.write(3, b'\\xff\\xff\\xff\\xff garbage')\nimport time\ntime.sleep(5)"),
      /broke the protocol/,
    );
    assert.equal((await kernel.run("1 + 1")).output, "2\n");
  } finally {
    await dispose();
  }
});
