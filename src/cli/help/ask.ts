// Only the help text: `ponder ask --help` answers without loading the command.
import { budgetHelp } from "../budget-flags.js";

export const askHelp = `Usage: ponder ask "<question>" [options]
       ponder ask --continue <run-or-conversation-id> "<follow-up>" [options]

Asks a question; the model thinks, uses tools (Python in a sandbox) and answers.
The answer goes to stdout; the live view of its steps goes to stderr.

Options:
  --continue <id>                ask a follow-up: the next turn of the conversation that run (any of its turns,
                                 or the conversation's id) belongs to; it sees the earlier turns and their
                                 workspace (see ponder chat for an interactive conversation)
  -m, --model <provider:model>   openai:gpt-5-mini, anthropic:claude-sonnet-4-5, ollama:qwen3:8b, compat:<name>
  --effort <level>               minimal | low | medium | high (sets default budgets; default medium), or
                                 auto: a first pass classifies the question (trivial / needs tools / hard;
                                 one more model request, its runs the answering run's children) and picks
                                 the effort, and for hard questions 3 samples and a vote; flags you give win
${budgetHelp}
  --image <file>                 attach an image the model sees (repeatable)
  --file <file>                  attach a file (CSV, JSON, text, PDF) for the tools (repeatable)
  -y, --yes                      approve every tool call the policy would ask about
  --unsafe-no-sandbox            run code without bubblewrap (only if you accept the risk)
  --json                         print the whole run as JSON (with --samples: the result and every child run's id)

Test-time scaling (the answer is chosen from many runs of the question; see docs/strategies.md):
  --samples <n>                  run the question n times, each a child run with its own tools and budget
  --select <how>                 vote | judge | synthesize | verify (default vote; verify with --verify)
  --until-confident <p>          sample in rounds until the leading answer is this sure (e.g. 0.9)
  --max-samples <n>              the most samples --until-confident takes (default 64)
  --judge-model <provider:model> the model that judges, checks equivalence and synthesises (default: --model)
  --rubric <file.md or text>     with --select judge (implied): score each answer against the rubric's bullet
                                 lines instead of a pairwise tournament
  --verify <tests.py>            Python tests run in the sandbox against each answer; passing answers win
  --concurrency <n>              samples running at once (default: all; a 429 slows them)
  With --samples or --until-confident, --budget-tokens, --budget-cost and --deadline are the
  total over every run; --max-steps and --max-tool-calls hold for each sample.
  --config <file>                config file (default ./ponder.config.json)
  --home <dir>                   Ponder's data directory (default ~/.ponder)

Team (a solver and a critic as cooperating runs; see docs/router-and-team.md):
  --team                         the critic reviews each answer and its tool evidence; the solver revises
                                 until the critic approves or the budget ends (then the latest answer, marked)
  --critic-model <provider:model> the critic's model (default: --model)
  --planner                      a planner run writes a plan for the solver first
  --max-rounds <n>               solver answers at most (default 3)
  With --team, --budget-tokens, --budget-cost and --deadline are the total over every run.

Exit codes: 0 answered, 1 failed, 2 bad usage or configuration, 3 waiting for approval, 130 cancelled.`;
