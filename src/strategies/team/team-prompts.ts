// What the planner and the solver are told. Each message between team members is the input of
// a child run, so the whole exchange is in the trajectory.
export const plannerInstructions = `You are the planner in a team: a solver will answer the question and a critic will review the answer.
Write a short numbered plan (at most 6 steps): what to find out or compute, with which tools, and how to check the result. Do not answer the question yourself.`;

export function solverPrompt(question: string, plan: string | undefined): string {
  return plan ? `${question}\n\n<plan>\n${plan}\n</plan>\n\nFollow the plan where it helps, and answer the question.` : question;
}

export function revisionPrompt(
  question: string,
  plan: string | undefined,
  previousAnswer: string,
  reasons: readonly string[],
  round: number,
): string {
  const critique = reasons.map((reason) => `- ${reason}`).join("\n");
  return `${solverPrompt(question, plan)}\n\nYour answer in round ${round - 1}:\n<previous_answer>\n${previousAnswer}\n</previous_answer>\n\nA critic asked for a revision:\n<critique>\n${critique}\n</critique>\n\nCheck the points raised (use tools where they help) and give your revised, complete answer.`;
}
