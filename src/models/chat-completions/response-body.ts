// A model response's body, the same to the client whichever connection carried it: read whole
// (`text`) or chunk by chunk as it arrives (async iteration, for server-sent events).

import type { IncomingMessage } from "node:http";

export type HttpResponse = {
  status: number;
  headers: Record<string, string | undefined>;
  /** The body as it arrives; destroy it to stop reading. */
  body: ResponseBody;
};

export interface ResponseBody extends AsyncIterable<Buffer> {
  /** Whether the whole body has arrived. */
  readonly complete: boolean;
  text(): Promise<string>;
  /** Stops reading: the connection is closed, and a reader waiting gets an error. */
  destroy(): void;
}

// A reader slower than the server: past this many unread bytes, the connection stops reading.
const highWaterBytes = 1024 * 1024;

/** What a reader gets when the body was stopped (destroyed, or its request aborted) before its end. */
export const closedBeforeEnd = () => new Error("The response was closed before it ended.");

/**
 * A body whose bytes are pushed in by the connection that reads them (`deliver`, then `finish`
 * or `fail`). `text` resolves in the same turn as the last byte arrives: no stream machinery
 * and no ticks between the socket and the caller.
 */
export class PushedResponseBody implements ResponseBody {
  private readonly chunks: Buffer[] = [];
  private unreadBytes = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private whole: { resolve: (text: string) => void; reject: (error: Error) => void } | undefined;
  complete = false;

  /** `flow.destroy` stops the connection, which then fails this body. */
  constructor(private readonly flow: { pause(): void; resume(): void; destroy(): void }) {}

  deliver(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.unreadBytes += chunk.length;
    if (this.unreadBytes > highWaterBytes && !this.whole) this.flow.pause();
    this.wake?.();
  }

  finish(): void {
    this.complete = true;
    if (this.whole) this.whole.resolve(this.take().toString("utf8"));
    this.wake?.();
  }

  fail(error: Error): void {
    if (this.complete || this.failure) return;
    this.failure = error;
    this.whole?.reject(error);
    this.wake?.();
  }

  text(): Promise<string> {
    if (this.complete) return Promise.resolve(this.take().toString("utf8"));
    if (this.failure) return Promise.reject(this.failure);
    this.flow.resume();
    return new Promise((resolve, reject) => (this.whole = { resolve, reject }));
  }

  destroy(): void {
    if (!this.complete && !this.failure) this.flow.destroy();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Buffer> {
    for (;;) {
      if (this.chunks.length > 0) {
        const chunk = this.take();
        this.flow.resume();
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.complete) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Everything delivered and not yet read, as one buffer. */
  private take(): Buffer {
    const taken = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    this.chunks.length = 0;
    this.unreadBytes = 0;
    return taken;
  }
}

/** node:http's response (the HTTPS path) as a ResponseBody. */
export class IncomingResponseBody implements ResponseBody {
  constructor(private readonly message: IncomingMessage) {}

  get complete(): boolean {
    return this.message.complete;
  }

  text(): Promise<string> {
    const message = this.message;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      message.on("data", (chunk: Buffer) => chunks.push(chunk));
      message.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      message.once("error", reject);
      // Destroyed without an error (its request was aborted): it ends neither way.
      message.once("close", () => {
        if (!message.complete) reject(closedBeforeEnd());
      });
    });
  }

  destroy(): void {
    this.message.destroy();
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this.message[Symbol.asyncIterator]();
  }
}
