// Only the help text: `ponder export --help` answers without loading the command.

export const exportHelp = `Usage: ponder export <run-id | eval-id>... --format openai-chat|rich [--output file.jsonl]

Writes trajectories as JSONL (to stdout unless --output is given). An eval id exports every
sample's runs, including runs replaced after an infrastructure failure; a best-of-N run exports
its sample runs.

  --format openai-chat    OpenAI chat fine-tuning format with tools; turns that met an
                          infra_error get weight 0, and infra-failed runs are left out
  --format rich           per-step items and usage, outcome, reward (1/0, null when unscored),
                          error kind, and mask flags for infrastructure-affected steps and runs
  --only-passed           only samples that passed
  --keep-masked           keep infrastructure-affected trajectories (openai-chat drops them)`;
