// Only the help text: `ponder eval --help` answers without loading the command.
import { efforts } from "../../core/effort.js";
import { scorerNames } from "../../evals/scorers/scorer-names.js";

export const evalHelp = `Usage: ponder eval <dataset.jsonl|csv|builtin> [options]
       ponder eval view <eval-id> [--json] [--report <file.html>] [--svg|--png <file>] [--axis tokens|cost|time]
       ponder eval list [--json]

Runs every dataset item against every config (model × effort × samples) for each epoch; each
sample is a run under the eval's own run. Items: {"input", "target", "files", "images", "tags", "metadata"}.

  --model a,b             models to compare (default: the configured model)
  --effort low,high,auto  reasoning efforts (${efforts.join(", ")}, or auto: the router picks per question; default: the configured effort)
  --samples 1,4           best-of-N (vote) samples per answer (default 1)
  --epochs 5              times each item is asked per config (default 1)
  --scorer <name>         ${scorerNames.join(", ")} (default normalised)
  --rubric "<text>"       what the model grader checks (--scorer model)
  --concurrency N         samples at once (default: all; a 429 slows them)
  --max-infra-retries N   fresh runs for a sample that failed for infrastructure reasons (default 2)
  --no-tools              run without tools
  --check-contamination   ask each model to continue held-out items and the canary verbatim; exit 1 on a leak
  --resume                continue the latest eval with the same dataset, grid and scorer
  --report <file.html>    where to write the HTML report (default: in the eval's folder)
  --json                  print the summary as JSON

\`builtin\` is Ponder's own small set of tool-needing tasks (computation, a generated CSV, a local
page, a generated image, and a 20-page archive whose facts must survive context compaction). A dataset with a canary is never sent to a model listed in
PONDER_TRAINING_DATA_MODELS (ids or provider:*). Infrastructure errors are retried, then left out
of accuracy and reported as the error rate.`;
