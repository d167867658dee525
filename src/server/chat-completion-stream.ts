import type { RunEvent } from "../core/events.js";
import { TurnTextHold } from "./turn-text-hold.js";

/** A Chat Completions chunk's `delta`: the answer as `content`, the thinking as `reasoning_content`. */
export type ChatDelta = { content: string } | { reasoning_content: string };

/**
 * A run's events as Chat Completions deltas, as the model writes. Reasoning streams as
 * `reasoning_content` at once. A turn's text is held (turn-text-hold.ts) until it is long enough
 * to be the answer or the turn ends: then an answer comes as `content`, as the model wrote it, and
 * a preamble to tool calls as `reasoning_content`. Ponder's tool calls never become `tool_calls`.
 */
export class ChatDeltaWriter {
  private readonly hold = new TurnTextHold();
  private held: string[][] = [];
  private calledTools = false;
  private storedText = false;
  private answerOnly: boolean;

  /**
   * `toolFree`: the run can call no tool, so its text is the answer from the first piece.
   * `answerChecked`: the answer must match a format (response_format), so held text is the answer
   * only when the run ends (one that does not match is sent back for repair).
   */
  constructor(
    private readonly toolFree = false,
    private readonly answerChecked = false,
  ) {
    this.answerOnly = toolFree;
  }

  take(event: RunEvent): ChatDelta[] {
    const deltas: ChatDelta[] = [];
    if (event.type !== "item-added" && this.storedText && (this.calledTools || !this.answerChecked)) deltas.push(...this.resolve());
    switch (event.type) {
      case "step-started":
        this.endText();
        // A new turn: the last one called tools (a turn that calls none ends the run).
        if (this.held.length > 0) this.calledTools = true;
        deltas.push(...this.resolve());
        this.calledTools = false;
        this.answerOnly = this.toolFree || event.final;
        break;
      case "reasoning-delta":
        deltas.push({ reasoning_content: event.delta });
        break;
      case "text-delta":
        for (const content of this.hold.add(event.delta, this.answerOnly)) deltas.push({ content });
        break;
      case "tool-call-started":
        this.endText();
        this.calledTools = true;
        deltas.push(...this.resolve());
        break;
      case "item-added":
        if (event.item.type === "function_call") this.calledTools = true;
        if (event.item.type === "message" && event.item.role === "assistant") {
          this.endText();
          this.storedText = true;
        }
        break;
      default:
        break;
    }
    return deltas;
  }

  /** What is still held when the run stops. */
  finish(): ChatDelta[] {
    this.endText();
    return this.resolve();
  }

  private endText(): void {
    const held = this.hold.end();
    if (held.length > 0) this.held.push(held);
  }

  private resolve(): ChatDelta[] {
    const deltas = this.held.flatMap((pieces): ChatDelta[] =>
      this.calledTools ? [{ reasoning_content: pieces.join("") }] : pieces.map((content) => ({ content })),
    );
    this.held = [];
    this.storedText = false;
    return deltas;
  }
}
