import type { RunEvent } from "../core/events.js";
import { messageText } from "../core/items.js";

export type AnswerPiece = { text: string; answer: boolean };

/**
 * Sorts the text a model writes into answer and thinking-aloud. A turn's text is the answer
 * only if the turn calls no tools, which is known when the turn is stored; so each turn's
 * messages are held until its step ends (the turn's items are stored, and announced, together).
 */
export class StepAnswerText {
  private messages: string[] = [];
  private calledTools = false;

  take(event: RunEvent): AnswerPiece[] {
    if (event.type === "item-added") {
      if (event.item.type === "message" && event.item.role === "assistant") this.messages.push(messageText(event.item));
      if (event.item.type === "function_call") this.calledTools = true;
      return [];
    }
    if (event.type !== "step-finished" && event.type !== "run-finished" && event.type !== "status-changed") return [];
    const pieces = this.messages.filter((text) => text !== "").map((text) => ({ text, answer: !this.calledTools }));
    this.messages = [];
    this.calledTools = false;
    return pieces;
  }
}
