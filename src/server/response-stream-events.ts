import type { RunEvent } from "../core/events.js";
import type { FunctionCallItem, FunctionCallOutputItem, Item, MessageItem, ReasoningItem } from "../core/items.js";
import { messageText } from "../core/items.js";
import { hostedToolItem, hostedToolKind, type PonderCall, type RunPlace } from "./hosted-tool-items.js";
import { reasoningOutput } from "./response-object.js";
import { TurnTextHold } from "./turn-text-hold.js";

/** One Responses stream event without its sequence number (the emitter numbers them). */
export type ResponseEvent = { type: string } & Record<string, unknown>;

type StreamedText = { id: string; outputIndex: number; text: string; kind: "message" | "reasoning" };

type OpenCall = { entry: PonderCall; outputIndex: number; done: boolean };

/**
 * Turns a run's events into the Responses API's stream events, as the model writes. Text streams
 * as a `message` item the moment it is written; whether it was the answer or a preamble to tool
 * calls is known only when the model's turn ends, so the item's `output_item.done` says it with
 * `phase`: `final_answer`, or `commentary` when the same turn called tools (the response object
 * then lists that text as a reasoning item, so `output_text` is the answer; see docs/server.md).
 * Reasoning streams as a reasoning item's summary. Ponder's tool calls are hosted-tool items
 * (hosted-tool-items.ts) with their in-progress and completed events.
 *
 * Streamed items carry the ids their stored items get (the loop names them in its deltas); a
 * second stretch of one turn's text, which no stored item matches one to one, gets an id of its own.
 */
export class ResponseEventWriter {
  private nextIndex = 0;
  private openText: StreamedText | undefined;
  /** Streamed messages whose turn has not yet told whether it called tools. */
  private awaitingPhase: StreamedText[] = [];
  /** Stored messages of a turn not streamed (a provider that gave the turn whole), waiting for their phase. */
  private unstreamedMessages: MessageItem[] = [];
  private turnCalledTools = false;
  /** A turn's assistant items were stored since the last event: its phase is known once the batch ends. */
  private storedThisTurn = false;
  private streamedReasoning: StreamedText[] = [];
  /** Stretches of text seen (streamed or held) that no stored message has matched yet. */
  private unmatchedTexts = 0;
  private readonly hold = new TurnTextHold();
  /** Held text of ended stretches, waiting for their turn's phase. */
  private heldTexts: { deltas: string[]; id: string | undefined }[] = [];
  /** The stored id the text being held will have (see model-turn.ts). */
  private heldId: string | undefined;
  /** Ids given to streamed items: a second stretch of one turn's text gets an id of its own. */
  private readonly usedIds = new Set<string>();
  /** The turn may not call tools (a final, tool-free step, or a run without tools): its text is the answer at once. */
  private answerOnly: boolean;
  private readonly calls = new Map<string, OpenCall>();
  /** Outputs whose done event waits for the artifacts and sources stored right after them. */
  private pendingDone: OpenCall[] = [];
  private counter = 0;

  constructor(
    private readonly emit: (event: ResponseEvent) => void,
    private readonly place: RunPlace,
    private readonly options: {
      ponderItems?: boolean;
      clientTools?: ReadonlySet<string>;
      toolFree?: boolean;
      answerChecked?: boolean;
    } = {},
  ) {
    this.answerOnly = options.toolFree === true;
  }

  take(event: RunEvent): void {
    if (event.type !== "item-added") this.settle();
    switch (event.type) {
      case "step-started":
        this.closeText();
        this.answerOnly = this.options.toolFree === true || event.final;
        // A new turn: the last one called tools (a turn that calls none ends the run).
        if (this.awaitingPhase.length > 0 || this.heldTexts.length > 0 || this.unstreamedMessages.length > 0) {
          this.turnCalledTools = true;
          this.resolvePhase();
        }
        this.turnCalledTools = false;
        return;
      case "reasoning-delta":
        this.streamText("reasoning", event.delta, event.itemId);
        return;
      case "text-delta":
        this.streamText("message", event.delta, event.itemId);
        return;
      case "tool-call-started":
        this.closeText();
        this.turnCalledTools = true;
        this.resolvePhase();
        this.startCall(event.call);
        return;
      case "item-added":
        this.storedItem(event.item);
        return;
      default:
        return;
    }
  }

  /** A run's stored items as if they had just been stored, turn by turn (a run advanced elsewhere). */
  replay(items: readonly Item[]): void {
    for (const item of items) {
      const turnItem = (item.type === "message" && item.role === "assistant") || item.type === "reasoning" || item.type === "function_call";
      // An answer the run went on from (sent back for repair) was not the final one.
      if (item.type === "message" && item.role === "user") this.turnCalledTools = true;
      if (!turnItem || (item.type !== "function_call" && this.turnCalledTools)) {
        this.settle();
        this.resolvePhase();
        this.turnCalledTools = false;
      }
      this.storedItem(item);
    }
    this.finish();
  }

  /** Closes whatever is still open: the run has stopped. */
  finish(): void {
    this.settle();
    this.closeText();
    this.resolvePhase();
    for (const call of this.calls.values()) if (!call.done) this.finishCall(call);
  }

  private streamText(kind: "message" | "reasoning", delta: string, itemId: string | undefined): void {
    if (delta === "") return;
    if (kind === "reasoning") {
      if (this.openText?.kind !== "reasoning") {
        this.closeText();
        this.openText = this.openItem("reasoning", itemId);
        this.streamedReasoning.push(this.openText);
      }
      this.sendDelta(this.openText as StreamedText, delta);
      return;
    }
    if (this.openText?.kind === "reasoning") this.closeText();
    if (this.openText === undefined) this.heldId ??= itemId;
    for (const released of this.hold.add(delta, this.answerOnly)) {
      this.openText ??= this.openItem("message", this.heldId ?? itemId);
      this.sendDelta(this.openText, released);
    }
  }

  private sendDelta(open: StreamedText, delta: string): void {
    open.text += delta;
    const where = { item_id: open.id, output_index: open.outputIndex };
    if (open.kind === "message") this.emit({ type: "response.output_text.delta", ...where, content_index: 0, delta, logprobs: [] });
    else this.emit({ type: "response.reasoning_summary_text.delta", ...where, summary_index: 0, delta });
  }

  private openItem(kind: "message" | "reasoning", itemId?: string): StreamedText {
    const id = itemId !== undefined && !this.usedIds.has(itemId) ? itemId : this.newId(kind);
    this.usedIds.add(id);
    const open: StreamedText = { id, outputIndex: this.nextIndex++, text: "", kind };
    const where = { item_id: open.id, output_index: open.outputIndex };
    if (kind === "message") {
      this.emit({
        type: "response.output_item.added",
        output_index: open.outputIndex,
        item: { type: "message", id: open.id, status: "in_progress", role: "assistant", content: [] },
      });
      this.emit({ type: "response.content_part.added", ...where, content_index: 0, part: outputTextPart("") });
    } else {
      this.emit({
        type: "response.output_item.added",
        output_index: open.outputIndex,
        item: { type: "reasoning", id: open.id, summary: [] },
      });
      this.emit({ type: "response.reasoning_summary_part.added", ...where, summary_index: 0, part: { type: "summary_text", text: "" } });
    }
    return open;
  }

  /** The text being written has ended: its parts are done; a message's item waits for its phase. */
  private closeText(): void {
    const held = this.hold.end();
    if (held.length > 0) {
      this.heldTexts.push({ deltas: held, id: this.heldId });
      this.unmatchedTexts += 1;
    }
    this.heldId = undefined;
    const open = this.openText;
    if (!open) return;
    this.openText = undefined;
    const where = { item_id: open.id, output_index: open.outputIndex };
    if (open.kind === "reasoning") {
      const part = { type: "summary_text", text: open.text };
      this.emit({ type: "response.reasoning_summary_text.done", ...where, summary_index: 0, text: open.text });
      this.emit({ type: "response.reasoning_summary_part.done", ...where, summary_index: 0, part });
      this.emit({
        type: "response.output_item.done",
        output_index: open.outputIndex,
        item: { type: "reasoning", id: open.id, summary: [part] },
      });
      return;
    }
    this.emit({ type: "response.output_text.done", ...where, content_index: 0, text: open.text, logprobs: [] });
    this.emit({ type: "response.content_part.done", ...where, content_index: 0, part: outputTextPart(open.text) });
    this.awaitingPhase.push(open);
    this.unmatchedTexts += 1;
  }

  /** The current turn's messages get their phase: commentary if the turn called tools. */
  private resolvePhase(): void {
    const phase = this.turnCalledTools ? "commentary" : "final_answer";
    for (const open of this.awaitingPhase) {
      this.emit({
        type: "response.output_item.done",
        output_index: open.outputIndex,
        item: messageItem(open.id, open.text, phase),
      });
    }
    this.awaitingPhase = [];
    // Held text was never shown: a preamble becomes thinking, as the response object lists it; an answer comes as written.
    for (const held of this.heldTexts) this.wholeMessage(held.deltas, phase, held.id);
    this.heldTexts = [];
    for (const message of this.unstreamedMessages) this.wholeMessage([messageText(message)], phase);
    this.unstreamedMessages = [];
  }

  /** Runs at every event but a stored item: a batch of stored items is complete. */
  private settle(): void {
    const waiting = this.unstreamedMessages.length > 0 || this.awaitingPhase.length > 0 || this.heldTexts.length > 0;
    // A checked answer (text.format) is final only when the run ends: one that does not match is sent back for repair.
    const known = this.turnCalledTools || this.options.answerChecked !== true;
    if (waiting && this.openText === undefined && this.storedThisTurn && known) this.resolvePhase();
    this.storedThisTurn = false;
    for (const call of this.pendingDone) this.finishCall(call);
    this.pendingDone = [];
  }

  private storedItem(item: Item): void {
    switch (item.type) {
      case "message": {
        if (item.role !== "assistant") return;
        this.closeText();
        this.storedThisTurn = true;
        // The stored message is text already seen, if it was; otherwise it is shown whole.
        if (this.unmatchedTexts > 0) this.unmatchedTexts -= 1;
        else if (messageText(item) !== "") this.unstreamedMessages.push(item);
        return;
      }
      case "reasoning":
        if (!this.streamedReasoning.shift()) this.wholeReasoning(item);
        return;
      case "function_call":
        this.closeText();
        this.storedThisTurn = true;
        this.turnCalledTools = true;
        if (this.options.clientTools?.has(item.name)) this.clientCall(item);
        else if (!this.calls.has(item.call_id)) this.startCall(item);
        return;
      case "function_call_output":
        this.outputOf(item);
        return;
      case "artifact":
      case "source": {
        const call = item.call_id ? this.calls.get(item.call_id) : undefined;
        if (call && !call.done) (item.type === "artifact" ? call.entry.artifacts : call.entry.sources).push(item as never);
        if (this.options.ponderItems) this.wholeItem({ ...item });
        return;
      }
      default:
        if (this.options.ponderItems) this.wholeItem({ ...item });
    }
  }

  private startCall(call: FunctionCallItem): void {
    if (this.calls.has(call.call_id) || this.options.clientTools?.has(call.name)) return;
    const open: OpenCall = { entry: { call, artifacts: [], sources: [] }, outputIndex: this.nextIndex++, done: false };
    this.calls.set(call.call_id, open);
    const item = hostedToolItem(open.entry, this.place);
    const where = { item_id: call.id, output_index: open.outputIndex };
    this.emit({ type: "response.output_item.added", output_index: open.outputIndex, item });
    const kind = hostedToolKind(call.name);
    if (kind === "code_interpreter_call") {
      this.emit({ type: "response.code_interpreter_call.in_progress", ...where });
      this.emit({ type: "response.code_interpreter_call_code.delta", ...where, delta: item.code });
      this.emit({ type: "response.code_interpreter_call_code.done", ...where, code: item.code });
      this.emit({ type: "response.code_interpreter_call.interpreting", ...where });
    } else if (kind === "web_search_call") {
      this.emit({ type: "response.web_search_call.in_progress", ...where });
      this.emit({ type: "response.web_search_call.searching", ...where });
    } else {
      this.emit({ type: "response.mcp_call_arguments.delta", ...where, delta: call.arguments });
      this.emit({ type: "response.mcp_call_arguments.done", ...where, arguments: call.arguments });
      this.emit({ type: "response.mcp_call.in_progress", ...where });
    }
  }

  private outputOf(output: FunctionCallOutputItem): void {
    const call = this.calls.get(output.call_id);
    if (!call || call.done) return;
    call.entry.output = output;
    this.pendingDone.push(call);
  }

  private finishCall(call: OpenCall): void {
    if (call.done) return;
    call.done = true;
    const item = hostedToolItem(call.entry, this.place);
    const where = { item_id: call.entry.call.id, output_index: call.outputIndex };
    const kind = hostedToolKind(call.entry.call.name);
    if (call.entry.output !== undefined) {
      if (kind === "code_interpreter_call") this.emit({ type: "response.code_interpreter_call.completed", ...where });
      else if (kind === "web_search_call") this.emit({ type: "response.web_search_call.completed", ...where });
      else this.emit({ type: item.status === "failed" ? "response.mcp_call.failed" : "response.mcp_call.completed", ...where });
    }
    this.emit({ type: "response.output_item.done", output_index: call.outputIndex, item });
  }

  private clientCall(call: FunctionCallItem): void {
    const outputIndex = this.nextIndex++;
    const where = { item_id: call.id, output_index: outputIndex };
    const item = { type: "function_call", id: call.id, call_id: call.call_id, name: call.name, arguments: call.arguments };
    this.emit({ type: "response.output_item.added", output_index: outputIndex, item: { ...item, arguments: "", status: "in_progress" } });
    this.emit({ type: "response.function_call_arguments.delta", ...where, delta: call.arguments });
    this.emit({ type: "response.function_call_arguments.done", ...where, name: call.name, arguments: call.arguments });
    this.emit({ type: "response.output_item.done", output_index: outputIndex, item: { ...item, status: "completed" } });
  }

  /** Text not streamed while written: an answer's message with its deltas, or a preamble as a reasoning item. */
  private wholeMessage(deltas: string[], phase: "commentary" | "final_answer", itemId?: string): void {
    const open = this.openItem(phase === "final_answer" ? "message" : "reasoning", itemId);
    for (const delta of deltas) this.sendDelta(open, delta);
    this.openText = open;
    this.closeText();
    if (phase === "final_answer") this.resolveReleased(open);
  }

  /** A message streamed while written, whose phase is now known. */
  private resolveReleased(open: StreamedText): void {
    this.awaitingPhase = this.awaitingPhase.filter((waiting) => waiting !== open);
    this.unmatchedTexts -= 1;
    this.emit({ type: "response.output_item.done", output_index: open.outputIndex, item: messageItem(open.id, open.text, "final_answer") });
  }

  private wholeReasoning(item: ReasoningItem): void {
    const done = reasoningOutput(item);
    const summary = done.summary as { type: string; text: string }[];
    const outputIndex = this.nextIndex++;
    const where = { item_id: item.id, output_index: outputIndex };
    this.emit({ type: "response.output_item.added", output_index: outputIndex, item: { ...done, summary: [] } });
    for (const [index, part] of summary.entries()) {
      this.emit({ type: "response.reasoning_summary_part.added", ...where, summary_index: index, part: { ...part, text: "" } });
      this.emit({ type: "response.reasoning_summary_text.delta", ...where, summary_index: index, delta: part.text });
      this.emit({ type: "response.reasoning_summary_text.done", ...where, summary_index: index, text: part.text });
      this.emit({ type: "response.reasoning_summary_part.done", ...where, summary_index: index, part });
    }
    this.emit({ type: "response.output_item.done", output_index: outputIndex, item: done });
  }

  /** One of Ponder's own items, for a client that asked for them (`include: ["ponder.items"]`). */
  private wholeItem(item: Record<string, unknown>): void {
    const outputIndex = this.nextIndex++;
    this.emit({ type: "response.output_item.added", output_index: outputIndex, item });
    this.emit({ type: "response.output_item.done", output_index: outputIndex, item });
  }

  private newId(kind: "message" | "reasoning"): string {
    this.counter += 1;
    return `${kind === "message" ? "msg" : "rs"}_${this.place.runId.replace(/^run_/, "")}_${this.counter}`;
  }
}

function outputTextPart(text: string): Record<string, unknown> {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

function messageItem(id: string, text: string, phase: "commentary" | "final_answer"): Record<string, unknown> {
  return { type: "message", id, status: "completed", role: "assistant", phase, content: [outputTextPart(text)] };
}
