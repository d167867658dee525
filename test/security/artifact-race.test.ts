// The artifact endpoint under the swap race, through the real server and the real sandbox: the
// model's Python code writes files into out/, then leaves a background process exchanging out/
// with a link to a host folder holding files of the same names. The files are copied out of the
// workspace when they are recorded, under the race; every later GET serves that copy. No GET may
// ever return the host's files.
import { test } from "node:test";
import assert from "node:assert/strict";
import { toolResults } from "../support/conversation.js";
import type { RequestBody } from "../support/fake-openai-server.js";
import { eventually, startServerFixture } from "../server/server-fixture.js";
import { Tally, createSecret, swapperSource } from "./workspace-attack-support.js";

const files = 40;
/**
 * The model touches the files again (each call records them anew under the race) until this many
 * calls have reported saved files: a call whose scan met the link finds none, by chance.
 */
const rounds = 5;
const maxCalls = 40;

type RunJson = { status: string; items: { item: { type: string; id: string; name: string } }[] };

test("GET /v1/runs/{id}/artifacts/{item} never serves a host file while sandboxed code swaps folders", async () => {
  const secret = createSecret(Object.fromEntries(Array.from({ length: files }, (_, index) => [`f${index}.txt`, "host file "])));
  const setup = [
    "import os, subprocess, sys",
    "os.makedirs('/workspace/out')",
    `for index in range(${files}): open(f'/workspace/out/f{index}.txt', 'w').write(f'inside {index}')`,
    `os.symlink(${JSON.stringify(secret.directory)}, '/workspace/decoy')`,
    `swapper = subprocess.Popen([sys.executable, '-c', ${JSON.stringify(swapperSource)}, '/workspace/out', '/workspace/decoy'], stdout=subprocess.PIPE, text=True)`,
    "print(swapper.stdout.readline().strip())",
  ].join("\n");
  // Through the swapped-in link the sandbox finds nothing (the host folder is not in its view).
  const touch = [
    `for index in range(${files}):`,
    "    try: os.utime(f'/workspace/out/f{index}.txt')",
    "    except OSError: pass",
    "print('alive' if swapper.poll() is None else 'stopped')",
  ].join("\n");
  const fixture = await startServerFixture((body: RequestBody) => {
    const results = toolResults(body);
    if (results.length === 0) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: setup }) }] };
    const saved = results.filter((result) => result.includes("Files saved")).length;
    if (saved < rounds && results.length < maxCalls) return { toolCalls: [{ name: "python", arguments: JSON.stringify({ code: touch }) }] };
    return { text: "Done." };
  });
  try {
    const created = await fixture.request("POST", "/v1/runs", {
      body: { input: "write files", budget: { maxSteps: maxCalls + 2, maxToolCalls: maxCalls } },
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const run = await eventually(
      () => fixture.request("GET", `/v1/runs/${id}`).then((response) => response.json() as Promise<RunJson>),
      (current) => ["completed", "failed", "cancelled", "awaiting_approval"].includes(current.status),
    );
    assert.equal(run.status, "completed", JSON.stringify(run).slice(-1500));
    const outputs = toolResults(fixture.model.requests.at(-1)?.body ?? {});
    assert.match(outputs[0] ?? "", /^ready/, "the swapper started inside the sandbox");
    assert.match(outputs.at(-1) ?? "", /^alive/, "and was still swapping at the end");

    const artifacts = run.items.filter(({ item }) => item.type === "artifact").map(({ item }) => item);
    const gets = new Tally();
    // Each artifact fetched several times: what was kept never changes.
    for (let round = 0; round < 3; round++) {
      for (const artifact of artifacts) {
        const response = await fixture.request("GET", `/v1/runs/${id}/artifacts/${artifact.id}`);
        const text = await response.text();
        gets.count(response.status === 200 && /^inside \d+$/.test(text) ? "workspace file" : `${response.status} ${text}`, text, secret);
      }
    }
    // Each file the python tool reported was copied under the race; those that were a link at that moment were left out.
    const copied = outputs.reduce(
      (sum, output) => sum + (/Files saved \(shown to the user\): (.*)/.exec(output)?.[1]?.split(", ").length ?? 0),
      0,
    );
    console.log(`artifact copies under the race: ${copied}, kept ${artifacts.length}; GETs: ${gets.summary()}`);
    assert.equal(gets.leaked, 0, gets.summary());
    assert.deepEqual([...gets.seen.keys()], ["workspace file"], gets.summary());
    const savedRounds = outputs.filter((output) => output.includes("Files saved")).length;
    assert.ok(
      savedRounds >= rounds && artifacts.length > 0,
      `the race was run against many copies (${copied} in ${savedRounds} calls, ${artifacts.length} kept)`,
    );
  } finally {
    await fixture.close();
    secret.remove();
  }
});
