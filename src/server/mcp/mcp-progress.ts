// MCP progress notifications for one tool call: sent only when the client asked for them (a
// `progressToken` in the request's _meta), one per line ProgressMessages writes, in order, with
// a progress count that only grows, as the protocol requires.
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ProgressToken, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import { ProgressMessages, type ProgressEvent } from "./progress-messages.js";
import { logged, logger } from "../../logging/logger.js";

const log = logger("server.mcp");

export type ToolCallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export class ProgressReporter {
  private progress = 0;
  private sending: Promise<void> = Promise.resolve();
  private readonly messages: ProgressMessages;

  constructor(
    private readonly token: ProgressToken,
    private readonly send: (notification: ServerNotification) => Promise<void>,
    options: { strategy: boolean },
  ) {
    this.messages = new ProgressMessages(options.strategy);
  }

  /** Takes every event of the run; called synchronously by the loop, so sending is queued, never awaited here. */
  handle(event: ProgressEvent): void {
    const message = this.messages.describe(event);
    if (message === undefined) return;
    this.progress += 1;
    const notification: ServerNotification = {
      method: "notifications/progress",
      params: { progressToken: this.token, progress: this.progress, message },
    };
    // A client that went away cannot be told anything; the run goes on regardless.
    this.sending = this.sending
      .then(() => this.send(notification))
      .catch(logged(log, "debug", "a progress notification was not delivered"));
  }

  /** Waits until every notification is sent: the tool's result must come after its progress. */
  flush(): Promise<void> {
    return this.sending;
  }
}

/** A reporter when the client sent a progress token, else undefined. */
export function progressReporterOf(extra: ToolCallExtra, options: { strategy: boolean }): ProgressReporter | undefined {
  const token = extra._meta?.progressToken;
  return token === undefined ? undefined : new ProgressReporter(token, (notification) => extra.sendNotification(notification), options);
}
