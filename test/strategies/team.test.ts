import { test } from "node:test";
import assert from "node:assert/strict";
import { team, type TeamRound } from "../../src/strategies/team/team.js";
import type { RequestBody } from "../support/fake-openai-server.js";
import type { FakeTurn } from "../support/fake-turn.js";
import { testTools } from "../support/test-tools.js";
import { withStrategyServer, type StrategyContext } from "./strategy-server.js";

const model = "openai:gpt-4o";

type Role = "planner" | "critic" | "solver";
const roleOf = (body: RequestBody): Role => {
  const text = JSON.stringify(body);
  if (text.includes("You are the planner")) return "planner";
  if (text.includes("<solver_answer")) return "critic";
  return "solver";
};

/** Each role answers from its own script, in the order its requests arrive. */
function teamServer(scripts: Record<Role, (body: RequestBody, index: number) => FakeTurn>) {
  const counts: Record<Role, number> = { planner: 0, critic: 0, solver: 0 };
  return (body: RequestBody) => {
    const role = roleOf(body);
    return scripts[role](body, counts[role]++);
  };
}

const revise = (reason: string) => ({ text: JSON.stringify({ verdict: "revise", reasons: [reason] }) });
const approve = { text: '{"verdict": "approve", "reasons": []}' };

async function inputOf(store: StrategyContext["store"], runId: string): Promise<string> {
  return JSON.stringify((await store.getRun(runId))?.spec.input);
}

test("converges when the critic approves in round 2; the critique and the tool evidence travel in the runs' inputs", async () => {
  const handler = teamServer({
    planner: () => ({ text: "unused" }),
    solver: (body) => {
      const text = JSON.stringify(body);
      if (text.includes("<critique>")) return { text: "Final answer: 42" };
      if (text.includes("function_call_output")) return { text: "Final answer: 41" };
      return { toolCalls: [{ name: "add", arguments: '{"a": 40, "b": 1}' }] };
    },
    critic: (_body, index) => (index === 0 ? revise("40 + 2 was asked, not 40 + 1") : approve),
  });
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const rounds: TeamRound[] = [];
    const result = await team("What is 40 + 2? Use the add tool.", {
      model,
      env,
      home,
      store,
      tools: testTools().tools.filter((tool) => tool.name === "add"),
      onRound: (round) => rounds.push(round),
    });
    assert.equal(result.status, "completed");
    assert.equal(result.approved, true);
    assert.equal(result.stop, "approved");
    assert.equal(result.answer, "Final answer: 42");
    assert.equal(result.budgetExhausted, undefined);
    assert.deepEqual(
      result.children.map((child) => `${child.role}${child.index}`),
      ["solver1", "critic1", "solver2", "critic2"],
    );
    assert.deepEqual(
      rounds.map((round) => [round.verdict, round.reasons]),
      [
        ["revise", ["40 + 2 was asked, not 40 + 1"]],
        ["approve", []],
      ],
    );

    const [firstSolver, firstCritic, secondSolver] = result.children;
    assert.match(await inputOf(store, firstCritic?.runId as string), /add\(\{\\"a\\": 40, \\"b\\": 1\}\)\\n {3}→ 41/);
    assert.match(await inputOf(store, firstCritic?.runId as string), /<solver_answer round=\\"1\\">\\nFinal answer: 41/);
    const revision = await inputOf(store, secondSolver?.runId as string);
    assert.match(revision, /<previous_answer>\\nFinal answer: 41/);
    assert.match(revision, /- 40 \+ 2 was asked, not 40 \+ 1/);
    assert.ok((await store.listItems(firstSolver?.runId as string)).some((stored) => stored.item.type === "function_call_output"));

    const parent = await store.getRun(result.runId);
    assert.equal(parent?.spec.strategy?.name, "team");
    assert.equal(parent?.result?.answer, "Final answer: 42");
    const children = await store.listRuns({ parentId: result.runId });
    assert.equal(children.length, 4);
    assert.equal(
      parent.usage.steps,
      children.reduce((sum, child) => sum + child.usage.steps, 0),
    );
    const notes = (await store.listItems(result.runId)).flatMap((stored) => (stored.item.type === "note" ? [stored.item.text] : []));
    assert.match(notes[0] ?? "", /^Round 1: solver run .* answered “Final answer: 41”; critic run .*: revise\n {2}- 40 \+ 2 was asked/);
    assert.match(notes[1] ?? "", /^Round 2: .*: approve/);
    assert.match(notes.at(-1) ?? "", /The critic approved the answer of round 2/);
  });
});

test("stops when the total budget ends, with the latest answer marked as not approved", async () => {
  const usage = { inputTokens: 100, outputTokens: 50 };
  const handler = teamServer({
    planner: () => ({ text: "unused" }),
    solver: (_body, index) => ({ text: `Final answer: draft ${index + 1}`, usage }),
    critic: () => ({ ...revise("still not right"), usage }),
  });
  await withStrategyServer(handler, async ({ env, home, store }) => {
    const result = await team("Write the perfect haiku.", {
      model,
      env,
      home,
      store,
      tools: [],
      maxRounds: 10,
      totalBudget: { maxTotalTokens: 700 },
    });
    assert.equal(result.status, "completed");
    assert.equal(result.approved, false);
    assert.equal(result.stop, "budget");
    assert.ok(result.rounds.length >= 2 && result.rounds.length < 10, `rounds: ${result.rounds.length}`);
    assert.equal(result.answer, `Final answer: draft ${result.rounds.length}`);
    assert.ok(result.budgetExhausted);
    const parent = await store.getRun(result.runId);
    assert.equal(parent?.result?.budgetExhausted, result.budgetExhausted);
    assert.ok((parent?.usage.inputTokens ?? 0) + (parent?.usage.outputTokens ?? 0) <= 700);
    const notes = (await store.listItems(result.runId)).flatMap((stored) => (stored.item.type === "note" ? [stored.item.text] : []));
    assert.match(notes.at(-1) ?? "", /Not approved \(budget\)/);
  });
});

test("stops after maxRounds with the last answer; a planner's plan reaches the solver; an invalid verdict is repaired once", async () => {
  const handler = teamServer({
    planner: () => ({ text: "1. Count the syllables.\n2. Check the season word." }),
    solver: (_body, index) => ({ text: `Final answer: draft ${index + 1}` }),
    critic: (_body, index) => (index === 0 ? { text: "Looks weak to me." } : revise("the season word is missing")),
  });
  await withStrategyServer(handler, async ({ env, home, store, requests }) => {
    const result = await team("Write a haiku about rain.", { model, env, home, store, tools: [], planner: true, maxRounds: 2 });
    assert.equal(result.stop, "max_rounds");
    assert.equal(result.approved, false);
    assert.equal(result.answer, "Final answer: draft 2");
    assert.equal(result.budgetExhausted, "rounds");
    assert.deepEqual(
      result.children.map((child) => `${child.role}${child.index}`),
      ["planner0", "solver1", "critic1", "critic1", "solver2", "critic2"],
    );
    assert.equal(result.rounds[0]?.criticRunIds.length, 2);
    assert.match(await inputOf(store, result.rounds[0]?.criticRunIds[1] as string), /could not be used \(no JSON object in the reply\)/);
    assert.match(await inputOf(store, result.rounds[0]?.solverRunId as string), /<plan>\\n1\. Count the syllables/);
    assert.equal(requests().filter((body) => roleOf(body) === "planner").length, 1);
    assert.ok(result.planRunId);
  });
});
