import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeOpenAIServer } from "../support/fake-openai-server.js";
import { runCli } from "../support/run-cli.js";
import { temporaryHome } from "../support/temporary-home.js";

test("ponder ask --samples 4 --select judge --rubric rubric.md --json ranks by the rubric", async () => {
  let next = 0;
  const answers = ["Final answer: 42", "Final answer: 41", "Final answer: 42", "Final answer: 42"];
  const server = await startFakeOpenAIServer((body) => {
    const text = JSON.stringify(body);
    if (!text.includes("<rubric>")) return { text: answers[next++ % answers.length] as string };
    const right = text.includes("<candidate_answer>\\nFinal answer: 41");
    return {
      text: JSON.stringify({
        scores: { Correctness: right ? 10 : 2 },
        total: right ? 10 : 2,
        reasons: right ? "6 * 7 - 1 is 41." : "Off by one.",
      }),
    };
  });
  const home = temporaryHome();
  try {
    const rubric = join(home.path, "rubric.md");
    writeFileSync(rubric, "# Rubric\n- Correctness: the number asked for\n");
    const env = { PONDER_HOME: home.path, OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_MODEL: "openai:gpt-4o" };
    const result = await runCli(
      ["ask", "--samples", "4", "--select", "judge", "--rubric", rubric, "--json", "--tools", "", "What is 6 * 7 - 1?"],
      env,
    );
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout);
    assert.equal(parsed.answer, "Final answer: 41");
    assert.deepEqual(
      parsed.ranking.map((candidate: { answer: string; score: number }) => [candidate.answer, candidate.score]),
      [
        ["41", 10],
        ["42", 2],
      ],
    );
    assert.deepEqual(parsed.ranking[0].scores, { Correctness: 10 });
    assert.equal(parsed.children.filter((child: { role: string }) => child.role === "judge").length, 2);
  } finally {
    await server.close();
    home.remove();
  }
});
