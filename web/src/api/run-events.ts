// The event stream of one run (`GET /v1/runs/{id}/events`), typed.
import type { RunStatus, StoredItemJson, Usage } from "./api-types.js";
import { apiFetch } from "./api-client.js";
import { readServerSentEvents } from "./server-sent-events.js";

export type RunStreamEvent =
  | { type: "item"; stored: StoredItemJson }
  | { type: "text-delta"; delta: string }
  | { type: "reasoning-delta"; delta: string }
  | { type: "step-started"; step: number }
  /** A model call failed and is tried again: what its attempt streamed is dropped. */
  | { type: "retry-scheduled" }
  | { type: "status-changed"; status: RunStatus }
  | { type: "usage-updated"; usage: Usage }
  | { type: "other"; name: string };

/**
 * Reads the run's events until the server sends `done`, and returns that final status; returns
 * undefined when the stream ended without it (a dropped connection). `afterSeq` is sent as
 * Last-Event-ID, so only the items after it come again.
 */
export async function followRunEvents(
  runId: string,
  afterSeq: number,
  listener: { onOpen: () => void; onEvent: (event: RunStreamEvent) => void },
  signal: AbortSignal,
): Promise<RunStatus | undefined> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (afterSeq >= 0) headers["last-event-id"] = String(afterSeq);
  const response = await apiFetch(`/v1/runs/${encodeURIComponent(runId)}/events`, { headers, signal });
  if (!response.body) return undefined;
  listener.onOpen();
  for await (const event of readServerSentEvents(response.body)) {
    const data = parseData(event.data);
    if (event.event === "done") return (data as { status: RunStatus }).status;
    listener.onEvent(streamEventOf(event.event, data));
  }
  return undefined;
}

function streamEventOf(name: string, data: unknown): RunStreamEvent {
  const fields = (data ?? {}) as Record<string, unknown>;
  switch (name) {
    case "item":
      return { type: "item", stored: data as StoredItemJson };
    case "text-delta":
    case "reasoning-delta":
      return { type: name, delta: String(fields.delta ?? "") };
    case "step-started":
      return { type: name, step: Number(fields.step) };
    case "retry-scheduled":
      return { type: name };
    case "status-changed":
      return { type: name, status: fields.status as RunStatus };
    case "usage-updated":
      return { type: name, usage: fields.usage as Usage };
    default:
      return { type: "other", name };
  }
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
