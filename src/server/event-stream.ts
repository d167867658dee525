import type { ServerResponse } from "node:http";

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

  /** One event; `event` and `id` are left out when not given (Chat Completions sends bare data lines). */
  send(data: unknown, options: { event?: string; id?: string | number } = {}): void {
    if (this.closed) return;
    const lines = [
      ...(options.id !== undefined ? [`id: ${options.id}`] : []),
      ...(options.event ? [`event: ${options.event}`] : []),
      `data: ${typeof data === "string" ? data : JSON.stringify(data)}`,
    ];
    this.response.write(`${lines.join("\n")}\n\n`);
  }

  end(): void {
    if (!this.response.writableEnded) this.response.end();
    this.isClosed = true;
  }

  /** Calls `listener` once when the client disconnects before the stream ended. */
  onClientGone(listener: () => void): void {
    this.response.on("close", () => {
      if (!this.response.writableFinished) listener();
    });
  }
}
