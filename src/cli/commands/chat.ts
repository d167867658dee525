import { createInterface } from "node:readline";
import { ConfigError, PonderError } from "../../core/errors.js";
import { isEffort, type Effort } from "../../core/effort.js";
import type { RunRecord } from "../../core/run.js";
import { conversationTurns } from "../../library/conversation-turns.js";
import type { RunHandle } from "../../library/run-handle.js";
import { runSummaryJson } from "../../library/run-summary.js";
import { startRun } from "../../library/start-run.js";
import type { RunStore } from "../../store/run-store.js";
import { commonOptions, parseCommandLine, runOptions } from "../common-options.js";
import { conversationLines } from "../conversation-lines.js";
import { formatUsage, style } from "../format.js";
import { LiveView } from "../live-view.js";
import { withStore } from "../open-store.js";
import { modelOrOffer } from "../offer-default-model.js";
import { unknownConversation } from "./ask.js";
import { chatHelp } from "../help/chat.js";

export { chatHelp } from "../help/chat.js";

export async function chatCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine("chat", args, {
    ...commonOptions,
    ...runOptions,
    continue: { type: "string" },
    effort: { type: "string" },
    tools: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(`${chatHelp}\n`);
    return 0;
  }
  if (values.effort !== undefined && !isEffort(values.effort))
    throw new ConfigError(`--effort ${values.effort}: unknown level.`, "Use minimal, low, medium or high.");
  if (values.continue === undefined)
    values.model = await modelOrOffer({ model: values.model, home: values.home, configPath: values.config });
  return withStore({ home: values.home, configPath: values.config }, async (store) => {
    const earlier =
      values.continue === undefined ? [] : await conversationTurns(store, values.continue).catch(unknownConversation(values.continue));
    style.enabled = process.stderr.isTTY === true;
    for (const turn of earlier) printTurn(turn);
    const chat = new Chat(store, earlier.at(-1)?.id, {
      model: values.model,
      effort: values.effort as Effort | undefined,
      tools: values.tools
        ?.split(",")
        .map((name) => name.trim())
        .filter(Boolean),
      home: values.home,
      configPath: values.config,
      unsafeNoSandbox: values["unsafe-no-sandbox"],
      approver: values.yes ? async () => true : undefined,
    });
    return chat.run();
  });
}

type TurnOptions = Pick<
  Parameters<typeof startRun>[1] & object,
  "model" | "effort" | "tools" | "home" | "configPath" | "unsafeNoSandbox" | "approver"
>;

/** The read-ask-print loop: one turn at a time, Ctrl-C cancelling the turn in progress. */
class Chat {
  private turn: RunHandle | undefined;

  constructor(
    private readonly store: RunStore,
    private latest: string | undefined,
    private readonly options: TurnOptions,
  ) {}

  async run(): Promise<number> {
    const terminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
    const lines = createInterface({ input: process.stdin, output: process.stdout, terminal, prompt: "> " });
    // In a terminal, readline reads Ctrl-C as a key; through a pipe it comes as a signal.
    const interrupt = () => {
      if (this.turn) {
        process.stderr.write("\nCancelling this turn…\n");
        this.turn.cancel();
      } else {
        process.stderr.write("\n(/exit or Ctrl-D leaves the chat)\n");
        lines.prompt();
      }
    };
    lines.on("SIGINT", interrupt);
    process.on("SIGINT", interrupt);
    try {
      lines.prompt();
      for await (const raw of lines) {
        const line = raw.trim();
        if (line === "/exit" || line === "/quit") break;
        if (line === "/usage") await this.showUsage();
        else if (line.startsWith("/")) process.stderr.write(`Unknown command ${line}: /usage, /exit.\n`);
        else if (line !== "") await this.ask(line);
        lines.prompt();
      }
      return 0;
    } finally {
      process.off("SIGINT", interrupt);
      lines.close();
    }
  }

  private async ask(question: string): Promise<void> {
    const view = new LiveView(process.stderr, process.stderr.isTTY === true);
    try {
      this.turn = await startRun(question, {
        ...this.options,
        store: this.store,
        continueFrom: this.latest,
        onEvent: (event) => view.handle(event),
      });
      if (this.latest === undefined)
        process.stderr.write(
          style.dim(`conversation ${this.turn.id} · continue it later with \`ponder chat --continue ${this.turn.id}\`\n`),
        );
      this.latest = this.turn.id;
      const record = await this.turn.result;
      view.stop();
      printOutcome(record);
    } catch (error) {
      view.stop();
      // A turn that could not start (a busy conversation, a bad model name) leaves the chat open.
      if (!(error instanceof PonderError)) throw error;
      process.stderr.write(`${style.red(error.message)}\n${error.hint ? `${error.hint}\n` : ""}`);
    } finally {
      this.turn = undefined;
    }
  }

  private async showUsage(): Promise<void> {
    const latest = this.latest === undefined ? undefined : await this.store.getRun(this.latest);
    if (!latest) {
      process.stderr.write("No turns yet.\n");
      return;
    }
    process.stderr.write(`${(await conversationLines(this.store, latest, process.stderr.columns ?? 100, 1)).join("\n")}\n`);
  }
}

/** An earlier turn of a continued conversation: its question and answer. */
function printTurn(turn: RunRecord): void {
  process.stdout.write(`${style.dim(">")} ${runSummaryJson(turn).input}\n`);
  printOutcome(turn);
}

function printOutcome(record: RunRecord): void {
  const usage = style.dim(`${record.id} · ${formatUsage(record.usage)}`);
  if (record.status === "completed") process.stdout.write(`${record.result?.answer ?? ""}\n${usage}\n\n`);
  else if (record.status === "cancelled") process.stderr.write(`Turn cancelled. ${usage}\n\n`);
  else if (record.status === "awaiting_approval")
    process.stderr.write(`The turn waits for an approval: \`ponder approve ${record.id}\` (or chat with --yes). ${usage}\n\n`);
  else process.stderr.write(`${style.red(`Turn ${record.status}:`)} ${record.error?.message ?? "no answer"} ${usage}\n\n`);
}
