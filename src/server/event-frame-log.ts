/** The most one write to one client carries, so a client that is not reading holds little of this process's memory. */
export const pieceBytes = 64 << 10;

/** `bytes` in pieces of at most `pieceBytes` (views, not copies). */
export function pieces(bytes: Buffer): Buffer[] {
  if (bytes.length <= pieceBytes) return [bytes];
  const parts: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += pieceBytes) parts.push(bytes.subarray(start, start + pieceBytes));
  return parts;
}

/** A piece of an encoded event; an item's pieces all carry its seq. `end`: the log's length in bytes after it. */
type Piece = { bytes: Buffer; seq: number | undefined; first: boolean; end: number };

/**
 * Server-sent events encoded once for many clients, each client reading from its own place (a
 * piece number). Events are kept in pieces of at most `pieceBytes`, so one write never carries
 * more; pieces every client has passed are forgotten (`trim`).
 */
export class EventFrameLog {
  private kept: Piece[] = [];
  /** The number of the first piece kept. */
  private base = 0;
  private lengthBytes = 0;
  private eventBytes = 0;

  /** The number the next piece will have: where a client starts to follow from now on. */
  get head(): number {
    return this.base + this.kept.length;
  }

  /** The bytes of events other than items kept for the clients furthest behind (an item's bytes live as long as the run's items). */
  get keptEventBytes(): number {
    return this.eventBytes;
  }

  append(bytes: Buffer, seq: number | undefined): void {
    for (const [index, piece] of pieces(bytes).entries()) {
      this.lengthBytes += piece.length;
      if (seq === undefined) this.eventBytes += piece.length;
      this.kept.push({ bytes: piece, seq, first: index === 0, end: this.lengthBytes });
    }
  }

  /** How far behind the newest event a client at piece `at` is, in bytes. */
  lagBytes(at: number): number {
    const piece = this.kept[at - this.base];
    return piece ? this.lengthBytes - (piece.end - piece.bytes.length) : 0;
  }

  /**
   * The pieces from `at` on, up to `pieceBytes` (at least one), as one buffer, leaving out the
   * items up to `skipThrough`; `seq` is the last item they carry. Clients at the same place with
   * nothing left out get the same buffer (`shared`, for one round of writes).
   */
  read(at: number, skipThrough: number, shared: Map<number, Buffer>): { bytes: Buffer; next: number; seq: number | undefined } {
    const from = at - this.base;
    const start = (this.kept[from] as Piece).end - (this.kept[from] as Piece).bytes.length;
    const taken: Buffer[] = [];
    let to = from;
    let seq: number | undefined;
    let skipped = false;
    while (to < this.kept.length && (to === from || (this.kept[to] as Piece).end - start <= pieceBytes)) {
      const piece = this.kept[to] as Piece;
      if (piece.seq !== undefined && piece.seq <= skipThrough) skipped = true;
      else {
        taken.push(piece.bytes);
        if (piece.seq !== undefined) seq = piece.seq;
      }
      to++;
    }
    let bytes = skipped ? undefined : shared.get(at);
    if (!bytes) {
      bytes = taken.length === 1 ? (taken[0] as Buffer) : Buffer.concat(taken);
      if (!skipped) shared.set(at, bytes);
    }
    return { bytes, next: this.base + to, seq };
  }

  /** The rest of the event a client at piece `at` is partway through (none when it is at an event's start); `item` for an item's. */
  restOfEvent(at: number): { bytes: Buffer; item: boolean }[] {
    const rest: { bytes: Buffer; item: boolean }[] = [];
    for (let index = at - this.base; index < this.kept.length && !(this.kept[index] as Piece).first; index++) {
      const piece = this.kept[index] as Piece;
      rest.push({ bytes: piece.bytes, item: piece.seq !== undefined });
    }
    return rest;
  }

  /** Forgets the pieces before `at`. */
  trim(at: number): void {
    for (const piece of this.kept.splice(0, at - this.base)) if (piece.seq === undefined) this.eventBytes -= piece.bytes.length;
    this.base = at;
  }
}
