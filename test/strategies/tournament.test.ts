import { test } from "node:test";
import assert from "node:assert/strict";
import { combineSwappedVerdicts, rankByTournament, type Compare } from "../../src/strategies/tournament.js";
import { parseVerdict } from "../../src/strategies/pairwise-judge.js";

test("a verdict counts only when both orders agree", () => {
  assert.equal(combineSwappedVerdicts("first", "second"), "x");
  assert.equal(combineSwappedVerdicts("second", "first"), "y");
  assert.equal(combineSwappedVerdicts("first", "first"), "tie", "a judge that always prefers the first answer decides nothing");
  assert.equal(combineSwappedVerdicts("tie", "second"), "tie");
});

// Entrants are numbers; the larger one is better, as a fair judge would see it in both orders.
const fair: Compare<number> = async (x, y) => ({ outcome: x === y ? "tie" : x > y ? "x" : "y", reasons: [`${Math.max(x, y)} is larger`] });

test("a knockout puts the best entrant first and the final's loser second, whatever the seeds", async () => {
  for (const entrants of [
    [1, 5, 3, 4, 2],
    [9, 2],
    [3, 8, 1, 6, 7, 2, 4, 5],
  ]) {
    const standings = await rankByTournament(entrants, fair, "knockout");
    assert.equal(standings[0]?.entrant, Math.max(...entrants));
    assert.equal(standings.length, entrants.length);
  }
  const standings = await rankByTournament([1, 2, 3, 4], fair, "knockout");
  assert.deepEqual(
    standings.slice(0, 2).map((standing) => standing.entrant),
    [4, 3],
  );
  assert.ok(standings[0]?.reasons.includes("4 is larger"));
});

test("a Swiss tournament ranks the best entrant first without rematches", async () => {
  const pairs: string[] = [];
  const recording: Compare<number> = async (x, y) => {
    pairs.push([x, y].sort().join("-"));
    return fair(x, y);
  };
  const standings = await rankByTournament([3, 7, 1, 8, 2, 6, 5, 4], recording, "swiss");
  assert.equal(standings[0]?.entrant, 8);
  assert.equal(standings[0]?.wins, 3);
  assert.equal(new Set(pairs).size, pairs.length);
});

test("ties go to the better seed", async () => {
  const undecided: Compare<string> = async () => ({ outcome: "tie", reasons: [] });
  const standings = await rankByTournament(["seed one", "seed two", "seed three"], undecided, "knockout");
  assert.equal(standings[0]?.entrant, "seed one");
});

test("judge replies are parsed by their last VERDICT line", () => {
  assert.deepEqual(parseVerdict("A is wrong.\nREASON: B shows the work.\nVERDICT: B"), { verdict: "second", reason: "B shows the work." });
  assert.equal(parseVerdict("VERDICT: a").verdict, "first");
  assert.equal(parseVerdict("Verdict: TIE").verdict, "tie");
  assert.equal(parseVerdict("I cannot decide.").verdict, "tie");
});
