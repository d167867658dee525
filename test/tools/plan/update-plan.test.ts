// update_plan: the tool's answer, which calls count as the plan, and a real run where the plan
// reaches the model's next request, the live view and the run's items.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Item } from "../../../src/core/items.js";
import { formatPlan, latestPlan, updatePlanTool } from "../../../src/tools/plan/index.js";
import { startFakeOpenAIServer, type FakeTurn, type RequestBody } from "../../support/fake-openai-server.js";
import { toolResults } from "../../support/conversation.js";
import { runCli } from "../../support/run-cli.js";
import { temporaryHome } from "../../support/temporary-home.js";

const call = (id: string, args: unknown): Item => ({
  type: "function_call",
  id,
  call_id: `call_${id}`,
  name: "update_plan",
  arguments: typeof args === "string" ? args : JSON.stringify(args),
});

test("the schema refuses two steps in progress and an empty plan; the tool answers with the checklist", async () => {
  const parameters = updatePlanTool.parameters;
  assert.equal(parameters.safeParse({ plan: [] }).success, false);
  const twoInProgress = parameters.safeParse({
    plan: [
      { step: "a", status: "in_progress" },
      { step: "b", status: "in_progress" },
    ],
  });
  assert.equal(twoInProgress.success, false);
  assert.match(JSON.stringify(twoInProgress.error?.issues), /At most one step may be in_progress/);
  assert.equal(parameters.safeParse({ plan: [{ step: "a", status: "done" }] }).success, false);
  const output = await updatePlanTool.run(
    parameters.parse({
      plan: [
        { step: "Find the data", status: "completed" },
        { step: "Fit the model", status: "in_progress" },
        { step: "Write it up", status: "pending" },
      ],
    }),
    {} as never,
  );
  assert.equal(output.content, "Plan updated (1 of 3 steps completed):\n[x] Find the data\n[>] Fit the model\n[ ] Write it up");
});

test("latestPlan is the latest valid update_plan call; refused and malformed calls change nothing", () => {
  const first = { plan: [{ step: "Read", status: "in_progress" }] };
  const second = {
    explanation: "reading done",
    plan: [
      { step: "Read", status: "completed" as const },
      { step: "Answer", status: "pending" as const },
    ],
  };
  const items: Item[] = [
    { type: "message", id: "m", role: "user", content: [{ type: "input_text", text: "task" }] },
    call("1", first),
    call("2", second),
    call("3", "{not json"),
    call("4", {
      plan: [
        { step: "x", status: "in_progress" },
        { step: "y", status: "in_progress" },
      ],
    }),
    { type: "function_call", id: "5", call_id: "call_5", name: "python", arguments: "{}" },
  ];
  assert.deepEqual(latestPlan(items), second);
  assert.equal(latestPlan(items.slice(0, 1)), undefined);
  assert.equal(formatPlan(second), "[x] Read\n[ ] Answer");
});

test("ponder ask: the model's plan reaches its next request, the live view shows each state, and the run's items keep it", async () => {
  const start = {
    plan: [
      { step: "Look up the boiling point", status: "in_progress" },
      { step: "Convert it to Fahrenheit", status: "pending" },
    ],
  };
  const done = { plan: start.plan.map((entry) => ({ ...entry, status: "completed" })) };
  const planner = (body: RequestBody): FakeTurn => {
    const results = toolResults(body);
    if (results.length === 0) return { toolCalls: [{ name: "update_plan", arguments: JSON.stringify(start) }] };
    if (results.length === 1) return { toolCalls: [{ name: "update_plan", arguments: JSON.stringify(done) }] };
    return { text: "Water boils at 212 °F." };
  };
  const server = await startFakeOpenAIServer(planner);
  const home = temporaryHome();
  const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: server.baseURL };
  try {
    const result = await runCli(
      ["ask", "--effort", "medium", "--model", "openai:gpt-5-mini", "At what temperature in °F does water boil?"],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), "Water boils at 212 °F.");
    const tools = (server.requests[0]?.body.tools ?? []) as { name: string }[];
    assert.equal(tools.at(-1)?.name, "update_plan", "offered by default, after every other built-in");
    assert.match(toolResults(server.requests[1]?.body ?? {})[0] ?? "", /Plan updated \(0 of 2 steps completed\):\n\[>\] Look up/);
    assert.match(result.stderr, /plan, 0 of 2 steps completed\n {4}\[>\] Look up the boiling point\n {4}\[ \] Convert it to Fahrenheit/);
    assert.match(result.stderr, /plan, 2 of 2 steps completed\n {4}\[x\] Look up the boiling point\n {4}\[x\] Convert it to Fahrenheit/);

    const shown = await runCli(["runs", "--json"], env);
    const runId = JSON.parse(shown.stdout)[0].id as string;
    const exported = await runCli(["show", "--json", runId], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.deepEqual(latestPlan(JSON.parse(exported.stdout).items), done);
  } finally {
    await server.close();
    home.remove();
  }
});
