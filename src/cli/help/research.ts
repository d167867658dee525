// Only the help text: `ponder research --help` answers without loading the command.

export const researchHelp = `Usage: ponder research "<question>" [options]

Researches a question: a planner splits it into sub-questions, readers search and read sources
in parallel and take notes tied to quoted passages, every note is checked against the text that
was really read, and a writer turns the verified notes into a report with numbered citations.
The report is saved as Markdown and self-contained HTML (artifacts of the research run); its
path and the report go to stdout, the progress view to stderr. See docs/research.md.

Options:
  -m, --model <provider:model>   the model for the planner, readers and writer
  --length <size>                brief | page | report (default page)
  --deadline <duration>          wall-clock time for the whole research, e.g. 5m, 20m
  --budget-tokens <n>            input + output tokens for the whole research
  --budget-cost <usd>            cost for the whole research, in US dollars
  --sources <where>              web | local | both (default both; local = the local index only)
  --breadth <n>                  sub-questions per round (default 4)
  --depth <n>                    rounds of readers, later rounds from readers' follow-ups (default 2)
  --concurrency <n>              readers at once (default 4)
  --no-charts                    the writer makes no charts
  -y, --yes                      start without confirming the plan; approve tool calls the policy would ask about
  --unsafe-no-sandbox            run the writer's chart code without bubblewrap (only if you accept the risk)
  --json                         print the result as JSON (report, url_citation annotations, claims checked and dropped, usage)
  --config <file>                config file (default ./ponder.config.json)
  --home <dir>                   Ponder's data directory (default ~/.ponder)

Readers stop at 85% of the deadline or budget and the writer writes from what is known.
Exit codes: 0 report written, 1 failed, 2 bad usage or configuration, 130 cancelled.`;
