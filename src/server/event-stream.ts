import type { ServerResponse } from "node:http";

/** One server-sent event as text; `event` and `id` are left out when not given (Chat Completions sends bare data lines). */
export function serverSentEvent(data: string, options: { event?: string; id?: string | number } = {}): string {
  const id = options.id !== undefined ? `id: ${options.id}\n` : "";
  const event = options.event ? `event: ${options.event}\n` : "";
  return `${id}${event}data: ${data}\n\n`;
}

/** Server-sent events on a response; `closed` turns true when the client goes away. */
export class EventStream {
  private isClosed = false;

  constructor(private readonly response: ServerResponse) {
    response.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
      // Proxies such as nginx would otherwise hold events back.
      "x-accel-buffering": "no",
    });
    response.on("close", () => {
      this.isClosed = true;
    });
  }

  get closed(): boolean {
    return this.isClosed || this.response.destroyed;
  }

  /** One event; `event` and `id` are left out when not given. */
  send(data: unknown, options: { event?: string; id?: string | number } = {}): void {
    if (this.closed) return;
    this.response.write(serverSentEvent(typeof data === "string" ? data : JSON.stringify(data), options));
  }

  /**
   * Events already encoded (several at once, shared by many streams). False when the client is
   * not keeping up: write again after `onDrain`.
   */
  sendEncoded(events: Buffer): boolean {
    if (this.closed) return false;
    return this.response.write(events);
  }

  /** Sends the headers now, before any event. */
  open(): void {
    if (!this.closed && !this.response.headersSent) this.response.flushHeaders();
  }

  /** Calls `listener` once the client has read what was written when `sendEncoded` answered false. */
  onDrain(listener: () => void): void {
    this.response.once("drain", listener);
  }

  /** What is written and not yet taken by the client's connection, in bytes (held in this process). */
  get bufferedBytes(): number {
    return this.response.writableLength;
  }

  /** Ends the stream, with its last events when given (already encoded). */
  end(last?: Buffer): void {
    if (!this.response.writableEnded) this.response.end(this.closed ? undefined : last);
    this.isClosed = true;
  }

  /** Calls `listener` once when the client disconnects before the stream ended. */
  onClientGone(listener: () => void): void {
    this.response.on("close", () => {
      if (!this.response.writableFinished) listener();
    });
  }
}
