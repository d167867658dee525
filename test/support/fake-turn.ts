// The turn a fake provider plays, shared by the three wire formats (Chat Completions, Responses,
// Anthropic Messages), and small helpers to split it into stream pieces.

export type FakeToolCall = {
  name: string;
  /** Sent exactly as given: may be malformed JSON on purpose. */
  arguments: string;
  id?: string;
};

export type FakeUsage = {
  inputTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
  cachedInputTokens?: number;
  /** Input written to the prompt cache (Anthropic's cache_creation_input_tokens). */
  cacheWriteInputTokens?: number;
};

/**
 * A web search the provider hosts and ran during the turn (OpenAI `web_search_call` with
 * `url_citation` annotations; Anthropic `server_tool_use`, `web_search_tool_result` and text
 * blocks with `web_search_result_location` citations). Non-streaming answers only.
 */
export type FakeWebSearch = {
  query: string;
  /** Pages the search found. */
  results: { url: string; title: string; pageAge?: string }[];
  /** The answer's sentences, each citing one page and quoting it (Anthropic's `cited_text`). */
  cited: { text: string; url: string; title: string; quote: string }[];
};

export type FakeTurn = {
  text?: string;
  reasoning?: string;
  toolCalls?: FakeToolCall[];
  /** An HTTP error status instead of an answer (e.g. 429, 500, 401). */
  status?: number;
  /** Extra response headers, e.g. `{ "Retry-After": "1" }`. */
  headers?: Record<string, string>;
  /** The error body to send with `status`; a provider-shaped one is made up when absent. */
  errorBody?: unknown;
  /** Wait before answering. */
  delayMs?: number;
  /** Wait between stream events (to abort mid-stream). */
  eventDelayMs?: number;
  /** Destroy the connection after this many stream events (a connection reset mid-stream). */
  dropConnectionAfterEvents?: number;
  /**
   * Send the provider's in-stream error event after this many events, then end the stream
   * (`type` e.g. "server_error", "rate_limit_exceeded", Anthropic's "overloaded_error").
   */
  streamError?: { afterEvents: number; type: string; message?: string };
  usage?: FakeUsage;
  webSearch?: FakeWebSearch;
};

export type ResolvedUsage = Required<FakeUsage>;

export function resolveUsage(turn: FakeTurn): ResolvedUsage {
  const generated =
    (turn.text ?? "").length + (turn.reasoning ?? "").length + (turn.toolCalls ?? []).reduce((sum, call) => sum + call.arguments.length, 0);
  const reasoningTokens = turn.usage?.reasoningTokens ?? Math.ceil((turn.reasoning ?? "").length / 4);
  return {
    inputTokens: turn.usage?.inputTokens ?? 12,
    outputTokens: turn.usage?.outputTokens ?? Math.max(1, Math.ceil(generated / 4)),
    reasoningTokens,
    cachedInputTokens: turn.usage?.cachedInputTokens ?? 0,
    cacheWriteInputTokens: turn.usage?.cacheWriteInputTokens ?? 0,
  };
}

/** Word-sized pieces, as providers stream text. */
export function textPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text.length > 0 ? [text] : []);
}

/** Tool arguments in three pieces, so clients must join argument deltas. */
export function argumentPieces(text: string): string[] {
  if (text.length < 3) return text.length > 0 ? [text] : [];
  const third = Math.ceil(text.length / 3);
  return [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)];
}

/** The parsed arguments when they are a JSON object, else an empty object (for APIs that want objects). */
export function argumentsObject(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export const fakeCreatedAt = 1_750_000_000;
