// The swap race against the host-side readers of a workspace: sandboxed code (here a background
// process started from a python call, inside the real bwrap sandbox) exchanges a folder and a
// file with links to host files while the model's read_file and list_files calls run. Every
// attempt must return the workspace's own content or a refusal; never a host file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ToolError } from "../../src/core/errors.js";
import { createListFilesTool, createReadFileTool } from "../../src/tools/files/index.js";
import { pythonTool } from "../../src/tools/python/python-tool.js";
import { RunResources } from "../../src/tools/run-resources.js";
import { testSettings, toolContext } from "../tools/python/python-test-support.js";
import { textOf } from "../tools/web-read/tool-context.js";
import { Tally, createSecret, swapperSource } from "./workspace-attack-support.js";

const attempts = 150;

test("read_file and list_files under swaps made inside the real sandbox never read or list a host file", async () => {
  const secret = createSecret({ "notes.txt": "host notes " });
  // The swappers are busy loops: give them CPU time for the whole test.
  const { context, dispose } = await toolContext({ sandbox: { ...testSettings, cpuSeconds: 60 } });
  const readFile = createReadFileTool();
  const listFiles = createListFilesTool();
  try {
    const setup = await pythonTool.run(
      {
        code: [
          "import os, subprocess, sys",
          "os.makedirs('/workspace/a')",
          "open('/workspace/a/notes.txt', 'w').write('inside notes')",
          "open('/workspace/f.txt', 'w').write('inside file')",
          `os.symlink(${JSON.stringify(secret.directory)}, '/workspace/b')`,
          "os.symlink('/etc/shadow', '/workspace/g.txt')",
          `source = ${JSON.stringify(swapperSource)}`,
          "swappers = [subprocess.Popen([sys.executable, '-c', source, first, second], stdout=subprocess.PIPE, text=True)",
          "            for first, second in [('/workspace/a', '/workspace/b'), ('/workspace/f.txt', '/workspace/g.txt')]]",
          "print(*[swapper.stdout.readline().strip() for swapper in swappers])",
        ].join("\n"),
      },
      context,
    );
    assert.match(String(setup.content), /^ready ready/);

    const reads = new Tally();
    const listings = new Tally();
    for (let attempt = 0; attempt < attempts; attempt++) {
      for (const path of ["a/notes.txt", "f.txt"]) {
        try {
          // A fresh cache each time, so that every attempt reads the file again.
          const text = textOf((await readFile.run({ path }, { ...context, resources: new RunResources() })).content);
          reads.count(/inside (notes|file)/.test(text) ? "workspace file" : "other", text, secret);
        } catch (error) {
          assert.ok(error instanceof ToolError, String(error));
          reads.count(/is a symbolic link/.test(error.message) ? "link refused" : error.message, error.message, secret);
        }
      }
      try {
        const text = textOf((await listFiles.run({ path: "a" }, context)).content);
        listings.count(/a\/notes\.txt/.test(text) ? "workspace folder" : text, text, secret);
      } catch (error) {
        assert.ok(error instanceof ToolError, String(error));
        listings.count(/is a symbolic link/.test(error.message) ? "link refused" : error.message, error.message, secret);
      }
    }
    const still = await pythonTool.run(
      { code: "print(*[swapper.poll() for swapper in swappers]); [swapper.kill() for swapper in swappers]" },
      context,
    );
    assert.match(String(still.content), /^None None/, "both swappers ran for the whole test");
    console.log(`read_file: ${reads.summary()}\nlist_files: ${listings.summary()}`);
    for (const tally of [reads, listings]) {
      assert.equal(tally.leaked, 0, tally.summary());
      assert.deepEqual(
        [...tally.seen.keys()].sort(),
        tally === reads ? ["link refused", "workspace file"] : ["link refused", "workspace folder"],
        `both sides of the race were hit: ${tally.summary()}`,
      );
    }
  } finally {
    await dispose();
    secret.remove();
  }
});
