// `ponder mcp` as a real MCP server: the SDK's own client starts `ponder mcp` as a child process
// (stdio) or talks to `ponder mcp --http` (Streamable HTTP), and every run talks to the fake
// OpenAI server over real HTTP.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startFakeOpenAIServer, type FakeTurnHandler } from "../support/fake-openai-server.js";
import { toolResults } from "../support/conversation.js";
import { conversationScript, firstAnswer, firstQuestion, followUpQuestion, rememberedAnswer } from "../support/conversation-script.js";
import { cliPath, runCli, spawnCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";
import { samplesAnswering } from "../strategies/strategy-server.js";
import { call as researchCall, classify, notesTurn, planTurn } from "../strategies/research-script.js";
import { sourceIdOf } from "../../src/tools/sources.js";
import { addFolders, localIndexDirectoryOf } from "../../src/tools/web/search/index.js";

type McpContext = { client: Client; env: Record<string, string> };

/** `prepare` sets up Ponder's home (a local search index, say) before `ponder mcp` starts. */
async function withMcp(
  handler: FakeTurnHandler,
  body: (context: McpContext) => Promise<void>,
  prepare?: (home: string) => Promise<void>,
): Promise<void> {
  const fake = await startFakeOpenAIServer(handler);
  const home = temporaryHome();
  await prepare?.(home.path);
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home.path,
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: fake.baseURL,
    PONDER_MODEL: "openai:gpt-5-mini",
  };
  const transport = new StdioClientTransport({ command: process.execPath, args: [cliPath, "mcp"], env, stderr: "inherit" });
  const client = new Client({ name: "ponder-test", version: "1.0.0" });
  try {
    await client.connect(transport);
    await body({ client, env });
  } finally {
    await client.close();
    await fake.close();
    home.remove();
  }
}

const textOf = (result: CallToolResult, index = 0) => {
  const block = result.content[index];
  return block?.type === "text" ? block.text : "";
};

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** Polls run_status until the run has stopped advancing. */
async function finalStatus(client: Client, runId: string): Promise<CallToolResult> {
  for (;;) {
    const status = await call(client, "run_status", { run_id: runId });
    const state = status.structuredContent?.status;
    if (state !== "running" && state !== "queued") return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("tools/list offers ask, research, best_of_n, run_status and run_cancel with their input schemas", async () => {
  await withMcp(
    () => ({ text: "unused" }),
    async ({ client }) => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ["ask", "best_of_n", "research", "run_cancel", "run_status"]);
      const schemaOf = (name: string) =>
        tools.find((tool) => tool.name === name)?.inputSchema as {
          properties: Record<string, { type?: string; enum?: string[] }>;
          required?: string[];
        };
      assert.deepEqual(Object.keys(schemaOf("ask").properties).sort(), ["background", "conversation_id", "effort", "model", "question"]);
      assert.deepEqual(schemaOf("ask").required, ["question"]);
      assert.deepEqual(schemaOf("ask").properties.effort?.enum, ["minimal", "low", "medium", "high"]);
      assert.deepEqual(schemaOf("best_of_n").properties.select?.enum, ["vote", "judge", "synthesize"]);
      assert.ok(schemaOf("best_of_n").properties.until_confident);
      assert.ok(schemaOf("research").properties.background);
      assert.deepEqual(schemaOf("run_status").required, ["run_id"]);
      assert.deepEqual(schemaOf("run_cancel").required, ["run_id"]);
    },
  );
});

test("ask with conversation_id asks a follow-up that sees the first run's tool output and workspace; an unknown id is an error result", async () => {
  await withMcp(conversationScript, async ({ client }) => {
    const first = await call(client, "ask", { question: firstQuestion, effort: "medium" });
    assert.equal(textOf(first), firstAnswer);
    const conversationId = first.structuredContent?.conversation_id as string;
    assert.equal(conversationId, first.structuredContent?.run_id);
    const second = await call(client, "ask", { question: followUpQuestion, effort: "medium", conversation_id: conversationId });
    assert.ok(!second.isError, textOf(second));
    assert.match(textOf(second), rememberedAnswer);
    assert.equal(second.structuredContent?.conversation_id, conversationId);
    assert.notEqual(second.structuredContent?.run_id, conversationId);
    const unknown = await call(client, "ask", { question: "And then?", conversation_id: "run_nothing" });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /No run with id run_nothing/);
  });
});

test("ask returns the answer with the run id and usage, and the run is in Ponder's store", async () => {
  await withMcp(
    () => ({ text: "6 * 7 = 42." }),
    async ({ client, env }) => {
      const result = await call(client, "ask", { question: "What is 6 * 7?" });
      assert.equal(result.isError, undefined, textOf(result));
      assert.equal(textOf(result), "6 * 7 = 42.");
      const runId = result.structuredContent?.run_id as string;
      assert.match(runId, /^run_/);
      assert.equal(result.structuredContent?.status, "completed");
      assert.equal((result.structuredContent?.usage as { steps: number }).steps, 1);

      const shown = await runCli(["show", "--json", runId], env);
      assert.equal(shown.code, 0, shown.stderr);
      assert.equal(JSON.parse(shown.stdout).status, "completed");
    },
  );
});

test("progress notifications follow the run's steps and tool calls", async () => {
  const handler: FakeTurnHandler = (body) =>
    toolResults(body).length === 0 ? { toolCalls: [{ name: "list_files", arguments: "{}" }] } : { text: "The workspace is empty." };
  await withMcp(handler, async ({ client }) => {
    const progress: { progress: number; message?: string }[] = [];
    const result = (await client.callTool({ name: "ask", arguments: { question: "What files do you have?" } }, undefined, {
      onprogress: (update) => progress.push(update),
    })) as CallToolResult;
    assert.equal(textOf(result), "The workspace is empty.");
    const messages = progress.map((update) => update.message);
    assert.match(messages[0] ?? "", new RegExp(`^run ${result.structuredContent?.run_id as string} started`));
    assert.ok(messages.includes("step 1"), messages.join(" | "));
    assert.ok(messages.includes("step 1: list_files"), messages.join(" | "));
    assert.ok(
      progress.every((update, index) => index === 0 || update.progress > (progress[index - 1]?.progress ?? 0)),
      "progress only grows",
    );
  });
});

test("best_of_n with 3 samples returns the plurality answer with its share", async () => {
  await withMcp(samplesAnswering(["Final answer: 42", "Final answer: 41", "Final answer: 42"]), async ({ client, env }) => {
    const progress: string[] = [];
    const result = (await client.callTool({ name: "best_of_n", arguments: { question: "What is 6 * 7?", samples: 3 } }, undefined, {
      onprogress: ({ message }) => progress.push(message ?? ""),
    })) as CallToolResult;
    assert.equal(result.isError, undefined, textOf(result));
    assert.ok(progress.includes("sample 1 started"), progress.join(" | "));
    assert.equal(textOf(result), "Final answer: 42");
    assert.match(textOf(result, 1), /Chosen by vote from 3 answered sample\(s\): 2 gave this answer \(67%\)/);
    const structured = result.structuredContent as {
      run_id: string;
      method: string;
      share: number;
      samples: { answered: number };
      clusters: { count: number }[];
    };
    assert.equal(structured.method, "vote");
    assert.ok(Math.abs(structured.share - 2 / 3) < 1e-9);
    assert.equal(structured.samples.answered, 3);
    assert.deepEqual(
      structured.clusters.map((cluster) => cluster.count),
      [2, 1],
    );

    const children = JSON.parse((await runCli(["runs", "--all", "--json"], env)).stdout) as { parent_id: string | null }[];
    assert.equal(children.filter((run) => run.parent_id === structured.run_id).length, 3);
  });
});

test("research runs in the background and run_status returns the report with citations of what was read", async () => {
  let corpus = "";
  const page = () => pathToFileURL(join(corpus, "harbour.md")).href;
  const handler: FakeTurnHandler = (body) => {
    const request = classify(body);
    if (request.kind === "planner") return planTurn(["When was the harbour founded?"]);
    if (request.kind === "writer") return { text: "The harbour was founded in 1642 by Dutch traders [1]." };
    if (request.kind !== "reader") return { text: "?" };
    if (request.final || request.step >= 2)
      return notesTurn([
        { claim: "The harbour was founded in 1642.", source_id: sourceIdOf(page()), quote: "founded in 1642 by Dutch traders" },
      ]);
    if (request.step === 0) return { toolCalls: [researchCall("web_search", { query: "harbour founded" })] };
    return { toolCalls: [researchCall("read_page", { url: page() })] };
  };
  const indexCorpus = async (home: string) => {
    corpus = join(home, "corpus");
    mkdirSync(corpus);
    writeFileSync(
      join(corpus, "harbour.md"),
      "# The harbour\n\nThe harbour was founded in 1642 by Dutch traders, who built the first wooden pier.\n",
    );
    await addFolders(localIndexDirectoryOf(home), [corpus]);
  };
  await withMcp(
    handler,
    async ({ client }) => {
      const started = await call(client, "research", {
        question: "What is the history of the harbour?",
        sources: "local",
        length: "brief",
      });
      assert.equal(started.structuredContent?.status, "running", textOf(started));
      const done = await finalStatus(client, started.structuredContent?.run_id as string);
      assert.equal(done.structuredContent?.status, "completed", textOf(done));
      assert.match(textOf(done), /founded in 1642 by Dutch traders \[1\]/);
      assert.match(textOf(done), /## Sources/);
      const citations = done.structuredContent?.citations as { url: string }[];
      assert.deepEqual(
        citations.map((citation) => citation.url),
        [page()],
      );
      assert.deepEqual(done.structuredContent?.claims, { checked: 1, verified: 1, dropped: 0 });
    },
    indexCorpus,
  );
});

test("a background ask returns its run id at once; run_status gives the answer when it is done", async () => {
  await withMcp(
    () => ({ text: "Done in the background." }),
    async ({ client }) => {
      const started = await call(client, "ask", { question: "Take your time.", background: true });
      assert.equal(started.structuredContent?.status, "running");
      const runId = started.structuredContent?.run_id as string;
      assert.match(textOf(started), new RegExp(`run_status with \\{"run_id": "${runId}"\\}`));

      const done = await finalStatus(client, runId);
      assert.equal(done.structuredContent?.status, "completed");
      assert.equal(textOf(done), "Done in the background.");
      assert.equal(done.structuredContent?.run_id, runId);
    },
  );
});

test("a model that cannot be used is an error result with the configuration's message, and the server carries on", async () => {
  await withMcp(
    () => ({ text: "Still here." }),
    async ({ client }) => {
      const unknown = await call(client, "ask", { question: "Hello?", model: "nosuch:model-1" });
      assert.equal(unknown.isError, true);
      assert.match(textOf(unknown), /Unknown model provider "nosuch" in nosuch:model-1/);
      assert.equal((unknown.structuredContent?.error as { code: string }).code, "model_not_configured");

      const noKey = await call(client, "best_of_n", { question: "Hello?", model: "anthropic:claude-sonnet-4-5" });
      assert.equal(noKey.isError, true);
      assert.match(textOf(noKey), /No API key is configured for anthropic: set ANTHROPIC_API_KEY/);

      const notAnId = await call(client, "research", { question: "Hello?", model: "gpt-5" });
      assert.equal(notAnId.isError, true);
      assert.match(textOf(notAnId), /"gpt-5" is not a model id/);

      assert.equal(textOf(await call(client, "ask", { question: "Hello?" })), "Still here.");
    },
  );
});

test("cancelling the MCP request cancels the run, and the store says so", async () => {
  // The model never answers on its own: it waits until the client goes away.
  await withMcp(
    () => ({ text: "too late", delayMs: 600_000 }),
    async ({ client, env }) => {
      const controller = new AbortController();
      let runId = "";
      const calling = client.callTool({ name: "ask", arguments: { question: "Think forever." } }, undefined, {
        signal: controller.signal,
        onprogress: ({ message }) => {
          runId ||= /^run (run_\S+) started/.exec(message ?? "")?.[1] ?? "";
          if (message === "step 1") controller.abort();
        },
      });
      await assert.rejects(calling, /abort/i);
      assert.match(runId, /^run_/);

      const status = await finalStatus(client, runId);
      assert.equal(status.structuredContent?.status, "cancelled");
      const shown = await runCli(["show", "--json", runId], env);
      assert.equal(JSON.parse(shown.stdout).status, "cancelled");
    },
  );
});

test("run_cancel stops a background run; run_status of an unknown id is an error result", async () => {
  await withMcp(
    () => ({ text: "too late", delayMs: 600_000 }),
    async ({ client }) => {
      const started = await call(client, "ask", { question: "Think forever.", background: true });
      const runId = started.structuredContent?.run_id as string;
      const cancelled = await call(client, "run_cancel", { run_id: runId });
      assert.equal(cancelled.structuredContent?.outcome, "cancelled", textOf(cancelled));
      assert.equal(cancelled.structuredContent?.status, "cancelled");
      assert.equal((await call(client, "run_cancel", { run_id: runId })).structuredContent?.outcome, "already_finished");

      const missing = await call(client, "run_status", { run_id: "run_nothing" });
      assert.equal(missing.isError, true);
      assert.match(textOf(missing), /No run with id run_nothing/);
    },
  );
});

test("when the client goes away, a background run stops and is left paused for `ponder resume`", async () => {
  await withMcp(
    () => ({ text: "too late", delayMs: 600_000 }),
    async ({ client, env }) => {
      const started = await call(client, "ask", { question: "Think forever.", background: true });
      const runId = started.structuredContent?.run_id as string;
      await client.close();
      const shown = await runCli(["show", "--json", runId], env);
      assert.equal(JSON.parse(shown.stdout).status, "paused");
    },
  );
});

/** Starts `ponder mcp --http` on a free port; `prepare` runs CLI commands (keys) in its home first. */
async function withHttpMcp(
  body: (url: string, env: Record<string, string>) => Promise<void>,
  prepare?: (env: Record<string, string>) => Promise<void>,
): Promise<void> {
  const fake = await startFakeOpenAIServer(() => ({ text: "Answered over HTTP." }));
  const home = temporaryHome();
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: fake.baseURL, PONDER_MODEL: "openai:gpt-5-mini" };
  await prepare?.(env);
  const child = spawnCli(["mcp", "--http", "--port", "0"], env);
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stderr);
        if (match?.[1]) resolve(match[1]);
      });
      child.on("close", () => reject(new Error(`ponder mcp --http exited: ${stderr}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    await body(url, env);
  } finally {
    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    await fake.close();
    home.remove();
  }
}

async function httpClient(url: string, key?: string): Promise<Client> {
  const client = new Client({ name: "ponder-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), key ? { requestInit: { headers: { authorization: `Bearer ${key}` } } } : undefined),
  );
  return client;
}

test("over Streamable HTTP the same tools are listed and ask answers; pages reaching it by another name are refused", async () => {
  await withHttpMcp(async (url) => {
    const client = await httpClient(url);
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 5);
      const result = await call(client, "ask", { question: "Are you there?" });
      assert.equal(textOf(result), "Answered over HTTP.");
      assert.match(result.structuredContent?.run_id as string, /^run_/);
    } finally {
      await client.close();
    }
    const statusOf = (headers: Record<string, string>) =>
      new Promise<number | undefined>((resolve, reject) => {
        const request = httpRequest(
          url,
          { method: "POST", headers: { accept: "application/json, text/event-stream", ...headers } },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        );
        request.on("error", reject);
        request.end("{}");
      });
    assert.equal(
      await statusOf({ host: "attacker.example", "content-type": "application/json" }),
      421,
      "a web page reaching 127.0.0.1 by another name is refused",
    );
    assert.equal(
      await statusOf({ origin: "http://attacker.example", "content-type": "application/json" }),
      403,
      "a page of another origin is refused",
    );
    assert.equal(await statusOf({ origin: "null", "content-type": "application/json" }), 403);
    assert.equal(await statusOf({ "content-type": "text/plain" }), 415, "a body a page may send without preflight is refused");
    assert.equal(await statusOf({ "content-type": "application/json", "content-encoding": "br" }), 415);
    const tooLarge = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { padding: "x".repeat(2 * 1024 * 1024) } }),
    });
    assert.equal(tooLarge.status, 413);
    assert.match(((await tooLarge.json()) as { error: { message: string } }).error.message, /larger than 1048576 bytes/);
  });
});

test("over HTTP with API keys every request needs one, and a tenant sees only its own runs", async () => {
  const keys: Record<string, string> = {};
  const createKeys = async (env: Record<string, string>) => {
    for (const tenant of ["alice", "bob"])
      keys[tenant] = JSON.parse((await runCli(["keys", "create", "--tenant", tenant, "--json"], env)).stdout).key;
  };
  await withHttpMcp(async (url) => {
    await assert.rejects(httpClient(url), /API key/);
    const alice = await httpClient(url, keys.alice);
    const bob = await httpClient(url, keys.bob);
    try {
      const answered = await call(alice, "ask", { question: "Are you there?" });
      const runId = answered.structuredContent?.run_id as string;
      assert.equal((await call(alice, "run_status", { run_id: runId })).structuredContent?.status, "completed");
      const hidden = await call(bob, "run_status", { run_id: runId });
      assert.equal(hidden.isError, true);
      assert.match(textOf(hidden), new RegExp(`No run with id ${runId}`));
    } finally {
      await alice.close();
      await bob.close();
    }
  }, createKeys);
});
