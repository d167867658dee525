// Splits streamed text into reasoning (inside `<think>…</think>`) and answer text, for models
// whose chat template node-llama-cpp does not already split into thought segments. A tag cut
// across two chunks is held back until it is complete.

const open = "<think>";
const close = "</think>";

export type SplitPiece = { kind: "text" | "reasoning"; text: string };

export class ThinkSplitter {
  private thinking = false;
  private pending = "";

  push(chunk: string): SplitPiece[] {
    this.pending += chunk;
    const pieces: SplitPiece[] = [];
    for (;;) {
      const tag = this.thinking ? close : open;
      const at = this.pending.indexOf(tag);
      if (at !== -1) {
        this.emit(pieces, this.pending.slice(0, at));
        this.pending = this.pending.slice(at + tag.length);
        this.thinking = !this.thinking;
        continue;
      }
      // Keep a tail that could be the start of the tag; emit the rest.
      const keep = partialTagLength(this.pending, tag);
      this.emit(pieces, this.pending.slice(0, this.pending.length - keep));
      this.pending = this.pending.slice(this.pending.length - keep);
      return pieces;
    }
  }

  /** The held-back tail, at the end of the stream. */
  flush(): SplitPiece[] {
    const pieces: SplitPiece[] = [];
    this.emit(pieces, this.pending);
    this.pending = "";
    return pieces;
  }

  private emit(pieces: SplitPiece[], text: string): void {
    if (text !== "") pieces.push({ kind: this.thinking ? "reasoning" : "text", text });
  }
}

function partialTagLength(text: string, tag: string): number {
  for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(tag.slice(0, length))) return length;
  }
  return 0;
}
