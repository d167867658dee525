import { team, type TeamOptions, type TeamResult, type TeamRound } from "../strategies/team/team.js";
import { exitCodes } from "./follow-run.js";
import { formatUsage, oneLine, style } from "./format.js";

/**
 * Runs `ponder ask --team`: one line per round on stderr (the solver's answer, the critic's
 * verdict and reasons), then the answer on stdout, or the whole result as JSON. Ctrl-C cancels
 * every run of the team.
 */
export async function followTeam(question: string, options: TeamOptions, output: { json: boolean }): Promise<number> {
  style.enabled = process.stderr.isTTY === true;
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    if (++interrupts > 1) process.exit(exitCodes.cancelled);
    process.stderr.write("\nCancelling the team… (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  try {
    const result = await team(question, {
      ...options,
      signal: controller.signal,
      onRound: (round) => process.stderr.write(`${roundLine(round)}\n`),
    });
    if (output.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      process.stderr.write(`${outcomeLine(result)}\n\n`);
      if (result.answer) process.stdout.write(`${result.answer}\n`);
      if (result.error) process.stderr.write(`${result.error.message}\n`);
    }
    if (result.status === "completed") return exitCodes.answered;
    return result.status === "cancelled" ? exitCodes.cancelled : exitCodes.failed;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

function roundLine(round: TeamRound): string {
  const answer = round.answer ? `“${oneLine(round.answer, 80)}”` : style.red("no answer");
  const verdict =
    round.verdict === "approve"
      ? style.green("approved")
      : round.verdict === "revise"
        ? style.yellow("revise")
        : style.dim(round.answer ? "no verdict" : "");
  const reasons = round.reasons.map((reason) => `\n    - ${oneLine(reason, 160)}`).join("");
  return `  round ${round.round} · solver ${answer} · critic ${verdict}${reasons}`;
}

function outcomeLine(result: TeamResult): string {
  const marked = result.approved
    ? style.green("approved by the critic")
    : style.yellow(`not approved (${result.stop}); this is the solver's latest answer`);
  return `${style.dim(`${result.runId} · ${formatUsage(result.usage)}`)} · ${marked}`;
}
