// GET /openapi.json, made from the routes' own zod schemas, and schemathesis fuzzing every
// endpoint from it: no 5xx, and every answer within the schema the document gives it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { routes } from "../../src/server/routes.js";
import { pythonVenv, repositoryPath } from "../support/python-venv.js";
import { startServerFixture } from "./server-fixture.js";

const venv = pythonVenv();

type Operation = {
  requestBody?: { required: boolean; content: Record<string, { schema: { required?: string[]; additionalProperties?: unknown } }> };
  parameters?: { name: string; in: string; required: boolean }[];
  responses: Record<string, { content: Record<string, unknown> }>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

test("GET /openapi.json describes every route with the schemas its handler validates with", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }), { tenants: ["alice"] });
  try {
    assert.equal((await fixture.request("GET", "/openapi.json")).status, 401, "like every API route, it needs a key once keys exist");
    const response = await fixture.request("GET", "/openapi.json", { key: fixture.keys.alice as string });
    assert.equal(response.status, 200);
    const document = (await response.json()) as Document;
    assert.equal(document.openapi, "3.1.0");
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, "{$1}");
      const operation = document.paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${path} is documented`);
      assert.ok(operation.responses.default, `${route.method} ${path} documents its errors`);
    }
    const createRun = document.paths["/v1/runs"]?.post;
    const body = createRun?.requestBody?.content["application/json"]?.schema;
    assert.equal(createRun?.requestBody?.required, true);
    assert.deepEqual(body?.required, ["input"]);
    assert.equal(body?.additionalProperties, false, "the runs API's bodies are strict");
    assert.equal(document.paths["/v1/runs/{id}/approve"]?.post?.requestBody?.required, false, "a decision may have no body");
    assert.deepEqual(
      document.paths["/v1/runs"]?.get?.parameters?.map((parameter) => parameter.name),
      ["status", "limit", "parent_id", "top_level", "after"],
    );
    assert.ok(
      document.paths["/v1/chat/completions"]?.post?.responses["200"]?.content["text/event-stream"],
      "a streamed completion is documented",
    );
  } finally {
    await fixture.close();
  }
});

test("a method a path does not take is a 405 naming the ones it does (Allow)", async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }));
  try {
    const response = await fixture.request("DELETE", "/v1/runs");
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("allow"), "POST, GET");
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, "method_not_allowed");
  } finally {
    await fixture.close();
  }
});

/** Runs a program to its end, with its output kept for the assertion message. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: `${dirname(command)}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: cwd, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

// Bounded: a few examples per operation, each phase once, a fixed seed so a failure replays.
// Every check but one: that every schema-valid body is accepted. Some rules span fields (a
// conversation needs a user message with text) or look inside strings (an image URL must be a
// data: or http(s) URL of an image), and the request schemas do not say them.
test("schemathesis: no 5xx and no answer outside its schema, on every endpoint", { skip: venv.skip }, async () => {
  const fixture = await startServerFixture(() => ({ text: "ok" }), { tenants: ["fuzz"] });
  const folder = mkdtempSync(join(tmpdir(), "ponder-schemathesis-"));
  try {
    const key = fixture.keys.fuzz as string;
    const document = await (await fixture.request("GET", "/openapi.json", { key })).text();
    writeFileSync(join(folder, "openapi.json"), document);
    const schemathesis = join(dirname(venv.python as string), "schemathesis");
    const result = await run(
      schemathesis,
      [
        `--config-file=${repositoryPath("python", "schemathesis.toml")}`,
        "run",
        "openapi.json",
        `--url=${fixture.server.url}`,
        `--header=Authorization: Bearer ${key}`,
        "--checks=all",
        "--exclude-checks=positive_data_acceptance",
        "--phases=examples,coverage,fuzzing,stateful",
        "--max-examples=10",
        "--seed=20261207",
        "--workers=1",
        "--request-timeout=60",
      ],
      folder,
    );
    // Fuzzed bodies can be megabytes long: each line of the report is cut.
    assert.equal(
      result.code,
      0,
      result.output
        .split("\n")
        .map((line) => line.slice(0, 400))
        .join("\n"),
    );
    assert.match(result.output, new RegExp(`Operations:\\s+${routes.length} selected / ${routes.length} total`));
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await fixture.close();
  }
});
