// Only the help text: `ponder submit --help` answers without loading the command.
import { budgetHelp } from "../budget-flags.js";

export const submitHelp = `Usage: ponder submit "<task>" [--model <provider:model>] [--effort <level>] [budget and tool flags] [--json]
       ponder submit "<task>" --samples <n> [--select vote|judge|synthesize]
       ponder submit "<task>" --until-confident <0..1> [--max-samples <n>]
       ponder submit "<question>" --research

Stores the task as a queued run and prints its id at once; the run goes on without this
terminal. With --samples, --until-confident or --research the run is a strategy (best-of-N,
adaptive sampling, a cited research report) whose child runs do the work. With REDIS_URL it is queued for \`ponder worker\` processes (on any machine);
otherwise a background process on this machine advances it and keeps going after the
terminal closes (its log: <home>/runs/<run-id>/worker.log).

Budget and tools (as ponder ask; with a strategy, --deadline, --budget-tokens and --budget-cost are
the total over every run, and --max-steps / --max-tool-calls are for a single run only):
${budgetHelp}

Follow it with \`ponder watch <run-id>\`, steer it with \`ponder steer <run-id> "<message>"\`,
stop it with \`ponder cancel <run-id>\`.`;
