// Keeps every request of a run inside the model's usable window (docs/long-runs.md). Before each
// turn it estimates the next request; past `compactAt` of the usable window it stores a
// compaction item: first old tool outputs become stubs (tier 1, lossless), and if that is not
// enough, older turns are summarised in pieces (tier 2), or dropped with a mechanical summary when
// summarising fails. Compactions come in batches, so between two of them every request starts
// with the previous one unchanged (what providers' prompt caches reuse).

import { addUsage, type Budget } from "../../core/budget.js";
import type { CompactionItem, Item } from "../../core/items.js";
import { outputText } from "../../core/items.js";
import { contextWindowOf, usableInputTokens, type ContextWindow } from "../../models/context-window.js";
import type { ModelClient, ModelUsage, ToolDefinition } from "../../models/model-client.js";
import type { Cost } from "../../models/prices.js";
import { ToolRegistry } from "../../tools/registry.js";
import { createRecallTool } from "../../tools/recall/recall-tool.js";
import type { AnyTool } from "../../tools/tool.js";
import type { RunJournal } from "../run-journal.js";
import { stubCandidates, summaryCut } from "./compaction-plan.js";
import { stubCompactionText, summaryCompactionText, truncationCompactionText } from "./compaction-text.js";
import { ContextWindowError } from "./context-errors.js";
import type { ContextSettings } from "./context-settings.js";
import { contextView, isUsersOwnMessage, latestSummary, stubbedCallIds } from "./context-view.js";
import { offloadedMarker, offloadLargeOutput } from "./offload-output.js";
import { roomMeasures, RoomNotices } from "./room-notices.js";
import { SummaryError, summariseItems, summariserInstructions } from "./summarise.js";
import { fixedTokenEstimate, itemsTokenEstimate, textTokens } from "./token-estimate.js";

export type ContextManagerOptions = {
  model: ModelClient;
  settings: ContextSettings;
  instructions: string;
  budget: Budget;
  /** When this process started the run's work, and its deadline (epoch ms), for the room notices. */
  startedAt: number;
  deadline?: number;
  /** A resumed run was already told what room it had: the notices start from where it is. */
  resumed: boolean;
  workspace: string;
  costOf: (usage: ModelUsage) => Cost;
};

export type TurnContext = { tools: ToolDefinition[]; signal: AbortSignal; retryDeadline?: number };

/** Share of the usable window (at the default compactAt) tier 2 keeps as recent turns, and the most a summary may take. */
const keptShare = 0.2;
const summaryShare = 0.1;
const largestSummaryTokens = 4_000;

export class ContextManager {
  readonly window: ContextWindow;
  /** Input tokens a request may take: the window minus the output reserve. */
  readonly usable: number;
  /** Provider-counted tokens per estimated token, from the last request (see observe). */
  private ratio = 1;
  private lastEstimate = 0;
  private checked = false;
  private notices: RoomNotices | undefined;

  constructor(private readonly options: ContextManagerOptions) {
    this.window = contextWindowOf(options.model, options.settings.models[options.model.id]);
    this.usable = usableInputTokens(this.window);
  }

  private get settings(): ContextSettings {
    return this.options.settings;
  }

  /** Tokens the next request may reach before a compaction. */
  get threshold(): number {
    return Math.min(this.usable * this.settings.compactAt, this.settings.compactThreshold ?? Infinity);
  }

  /** Tokens a compaction brings the context under: the same share of the threshold as compactTo is of compactAt. */
  private get target(): number {
    return (this.threshold * this.settings.compactTo) / this.settings.compactAt;
  }

  /** The most characters of one tool output kept in the context; longer ones are offloaded. */
  get offloadCharacters(): number {
    return Math.max(1_000, Math.min(this.settings.offloadOutputCharacters, Math.floor(this.usable)));
  }

  /** What the model is sent for these items (the whole log of the conversation so far). */
  view(items: readonly Item[]): Item[] {
    return contextView(items);
  }

  /** The run's tools, plus `recall` once something was cleared from the context or offloaded. */
  tools(registry: ToolRegistry, items: () => readonly Item[]): ToolRegistry {
    // A page stays under the offload size, so what recall brings back is never offloaded again.
    const page = Math.max(500, Math.min(8_000, this.offloadCharacters - 300));
    const recall = createRecallTool((callId) => findOutput(items(), callId), page);
    const tools = new ToolRegistry();
    tools.addSource(() => registry.list());
    tools.addSource((): AnyTool[] => (needsRecall(items()) && !registry.get("recall") ? [recall] : []));
    return tools;
  }

  /** Hands a tool's output over to the context: large text goes to a workspace file. */
  offload(callId: string, content: Parameters<typeof offloadLargeOutput>[2]): ReturnType<typeof offloadLargeOutput> {
    return offloadLargeOutput(this.options.workspace, callId, content, this.offloadCharacters);
  }

  /** What the provider counted for the last request: later estimates are scaled to match. */
  observe(usage: ModelUsage): void {
    if (usage.inputTokens <= 0 || this.lastEstimate <= 0) return;
    // Bounded: a provider (or a test double) reporting nonsense must not switch compaction off.
    this.ratio = Math.min(2, Math.max(0.5, (usage.inputTokens / this.lastEstimate) * this.ratio));
  }

  /** Estimated tokens of a request with these tools and items. */
  estimate(tools: readonly ToolDefinition[], view: readonly Item[]): number {
    return Math.ceil((fixedTokenEstimate(this.options.instructions, tools) + itemsTokenEstimate(view)) * this.ratio);
  }

  /**
   * Run before each model turn: fails clearly when even the user's words cannot fit, compacts when
   * the next request would pass `compactAt` of the usable window, and tells the model about the
   * room left when a measure crosses a level.
   */
  async beforeTurn(journal: RunJournal, earlierItems: readonly Item[], turn: TurnContext): Promise<void> {
    const all = () => [...earlierItems, ...journal.items];
    if (!this.checked) {
      this.checkFits(all(), turn.tools);
      this.checked = true;
    }
    let estimate = this.estimate(turn.tools, this.view(all()));
    const measure = () =>
      roomMeasures({ tokens: estimate, usable: this.usable }, journal.usage, this.options.budget, {
        startedAt: this.options.startedAt,
        deadline: this.options.deadline,
        now: Date.now(),
      });
    this.notices ??= new RoomNotices(this.options.resumed ? measure() : []);
    if (this.settings.compaction && estimate > this.threshold) {
      estimate = await this.compact(journal, all, estimate, turn);
      this.notices.contextShrank(measure()[0] as ReturnType<typeof measure>[number]);
    }
    const notice = this.notices.next(measure(), this.threshold / this.usable);
    if (notice) {
      const [stored] = await journal.append([{ type: "message", role: "user", content: [{ type: "input_text", text: notice }] }]);
      estimate += Math.ceil(itemsTokenEstimate(stored ? [stored] : []) * this.ratio);
    }
    this.lastEstimate = estimate;
  }

  private checkFits(items: readonly Item[], tools: readonly ToolDefinition[]): void {
    const fixed = this.estimate(tools, items.filter(isUsersOwnMessage));
    if (fixed <= this.usable) return;
    const reserve = this.window.tokens - this.usable;
    throw new ContextWindowError(
      `The context window of ${this.options.model.id} (${this.window.tokens} tokens, ${this.usable} for input after ${reserve} kept for the answer) ` +
        `is smaller than the instructions, tool definitions and your messages (about ${fixed} tokens); nothing was sent to the model.`,
      `Use a model with a larger window, a shorter task or instructions, or fewer tools; if the model's window is larger than Ponder assumes ` +
        `(${this.window.source}), set context.models["${this.options.model.id}"].contextWindow in ponder.config.json.`,
    );
  }

  private async compact(journal: RunJournal, all: () => Item[], before: number, turn: TurnContext): Promise<number> {
    let estimate = before;
    const items = all();
    const candidates = stubCandidates(this.view(items), stubbedCallIds(items), this.settings.keepToolOutputs);
    if (candidates.callIds.length > 0) {
      const stub = {
        type: "compaction" as const,
        tier: "stub" as const,
        text: stubCompactionText(candidates.callIds.length, items),
        stubbed_call_ids: candidates.callIds,
      };
      estimate = this.estimateWith(items, stub, turn.tools);
      await journal.append([{ ...stub, tokens_before: before, tokens_after: estimate }]);
    }
    if (estimate <= this.target) return estimate;
    estimate = await this.summarise(journal, all(), estimate, turn);
    if (estimate > this.usable)
      throw new ContextWindowError(
        `The context of this run cannot be brought under the window of ${this.options.model.id} (${this.usable} input tokens): about ${estimate} tokens remain after compaction.`,
        "The newest turns or your messages alone are too large: use a model with a larger window or split the task.",
      );
    return estimate;
  }

  private async summarise(journal: RunJournal, items: Item[], before: number, turn: TurnContext): Promise<number> {
    const previous = latestSummary(items);
    const start = previous ? previous.throughIndex + 1 : 0;
    const cut = summaryCut(items, start, Math.floor((this.threshold * keptShare) / this.settings.compactAt / this.ratio));
    if (cut < start) return before;
    const part = items.slice(start, cut + 1);
    const summaryTokens = Math.max(256, Math.min(largestSummaryTokens, Math.floor(this.usable * summaryShare)));
    const pieceTokens = Math.max(
      256,
      Math.floor((this.usable * 0.6) / this.ratio) - 2 * summaryTokens - textTokens(summariserInstructions),
    );
    const previousText = previous?.item.text.slice(0, summaryTokens * 4);
    let compaction: Omit<CompactionItem, "id" | "tokens_before" | "tokens_after">;
    let usage: ModelUsage | undefined;
    let failure: string | undefined;
    try {
      const summary = await summariseItems({
        model: this.options.model,
        previousSummary: previousText,
        items: part,
        pieceTokens,
        summaryTokens,
        signal: turn.signal,
        retryDeadline: turn.retryDeadline,
      });
      usage = summary.usage;
      compaction = {
        type: "compaction",
        tier: "summary",
        text: summaryCompactionText(summary.text, part, items),
        through_id: part.at(-1)?.id,
      };
    } catch (error) {
      if (!(error instanceof SummaryError)) throw error;
      failure = error.message;
      compaction = {
        type: "compaction",
        tier: "truncation",
        text: truncationCompactionText(error.message, previousText, part, items),
        through_id: part.at(-1)?.id,
      };
    }
    const after = this.estimateWith(items, compaction, turn.tools);
    const cost = usage && this.options.costOf(usage);
    await journal.append(
      [
        { ...compaction, tokens_before: before, tokens_after: after },
        ...(failure
          ? [
              {
                type: "note" as const,
                kind: "context" as const,
                text: `Summarising older turns failed (${failure}); they were dropped from the model's context instead. The log keeps them.`,
              },
            ]
          : []),
      ],
      usage && cost ? { usage: addUsage(journal.usage, { ...usage, costUsd: cost.costUsd, costKnown: cost.known }) } : {},
    );
    return after;
  }

  private estimateWith(
    items: readonly Item[],
    compaction: Omit<CompactionItem, "id" | "tokens_before" | "tokens_after">,
    tools: readonly ToolDefinition[],
  ): number {
    return this.estimate(tools, this.view([...items, { ...compaction, id: "pending", tokens_before: 0, tokens_after: 0 }]));
  }
}

/** Whether the model may need `recall`: something was cleared from its context or offloaded. */
function needsRecall(items: readonly Item[]): boolean {
  return items.some(
    (item) =>
      item.type === "compaction" ||
      (item.type === "function_call_output" && typeof item.output === "string" && item.output.includes(offloadedMarker)),
  );
}

function findOutput(items: readonly Item[], callId: string): { name: string; text: string } | undefined {
  let name: string | undefined;
  let text: string | undefined;
  for (const item of items) {
    if (item.type === "function_call" && item.call_id === callId) name = item.name;
    else if (item.type === "function_call_output" && item.call_id === callId) text = outputText(item.output);
  }
  return text === undefined ? undefined : { name: name ?? "tool", text };
}
