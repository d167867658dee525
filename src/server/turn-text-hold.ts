import type { RunSpec } from "../core/run.js";

/**
 * How much of a model turn's text is held back before it is taken for the answer and streamed.
 * A turn's text is the answer only if the turn calls no tools, which is known when the turn ends;
 * the text a model writes before a tool call ("Let me compute it.") is short, so text that grows
 * past this is streamed as it is written. Shorter text waits for the turn's end, then comes as the
 * deltas the model wrote (answer) or as thinking (preamble). See docs/server.md.
 */
export const answerReleaseChars = 160;

/** A run that can call no tool (none offered, or tool_choice none): all its text is the answer, streamed at once. */
export function toolFree(spec: RunSpec): boolean {
  return spec.toolChoice === "none" || (spec.tools.length === 0 && (spec.clientTools ?? []).length === 0);
}

/** The held-back start of one stretch of a turn's text. */
export class TurnTextHold {
  private deltas: string[] = [];
  private length = 0;
  private isReleased = false;

  constructor(private readonly releaseChars = answerReleaseChars) {}

  get released(): boolean {
    return this.isReleased;
  }

  /** Takes a delta; returns what to stream now (nothing while the text is held, all of it once released). */
  add(delta: string, releaseNow = false): string[] {
    if (this.isReleased) return [delta];
    this.deltas.push(delta);
    this.length += delta.length;
    if (!releaseNow && this.length < this.releaseChars) return [];
    this.isReleased = true;
    return this.drain();
  }

  /** The held deltas (empty once released), and a fresh start for the next stretch of text. */
  end(): string[] {
    const held = this.drain();
    this.isReleased = false;
    return held;
  }

  private drain(): string[] {
    const deltas = this.deltas;
    this.deltas = [];
    this.length = 0;
    return deltas;
  }
}
