// POST /v1/messages as Anthropic sends it: message_start, ping, content blocks (thinking with
// thinking and signature deltas, text, tool_use with input_json_delta pieces), message_delta with
// the stop reason and usage, message_stop; or the whole message as JSON.

import { type FakeTurn, argumentPieces, argumentsObject, resolveUsage, textPieces } from "./fake-turn.js";

type Body = { model?: string };
export type MessagesEvent = { type: string } & Record<string, unknown>;

/** A stand-in for Anthropic's thinking signature: derived from the text so tests can check it came back. */
export function fakeSignature(thinking: string): string {
  return `signature:${Buffer.from(thinking).toString("base64")}`;
}

function toolUseId(turn: FakeTurn, turnIndex: number, index: number): string {
  return turn.toolCalls?.[index]?.id ?? `toolu_${turnIndex}_${index}`;
}

export function messagesEvents(turn: FakeTurn, body: Body, turnIndex: number): MessagesEvent[] {
  const usage = resolveUsage(turn);
  const events: MessagesEvent[] = [
    {
      type: "message_start",
      message: {
        id: `msg_${turnIndex}`,
        type: "message",
        role: "assistant",
        model: body.model ?? "fake-model",
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteInputTokens,
          cache_creation_input_tokens: usage.cacheWriteInputTokens,
          cache_read_input_tokens: usage.cachedInputTokens,
          output_tokens: 1,
        },
      },
    },
    { type: "ping" },
  ];
  let index = 0;
  if (turn.reasoning !== undefined) {
    events.push({ type: "content_block_start", index, content_block: { type: "thinking", thinking: "", signature: "" } });
    for (const thinking of textPieces(turn.reasoning)) {
      events.push({ type: "content_block_delta", index, delta: { type: "thinking_delta", thinking } });
    }
    events.push({ type: "content_block_delta", index, delta: { type: "signature_delta", signature: fakeSignature(turn.reasoning) } });
    events.push({ type: "content_block_stop", index: index++ });
  }
  if (turn.text !== undefined) {
    events.push({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const text of textPieces(turn.text)) events.push({ type: "content_block_delta", index, delta: { type: "text_delta", text } });
    events.push({ type: "content_block_stop", index: index++ });
  }
  (turn.toolCalls ?? []).forEach((call, callIndex) => {
    events.push({
      type: "content_block_start",
      index,
      content_block: { type: "tool_use", id: toolUseId(turn, turnIndex, callIndex), name: call.name, input: {} },
    });
    for (const partial_json of argumentPieces(call.arguments)) {
      events.push({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json } });
    }
    events.push({ type: "content_block_stop", index: index++ });
  });
  events.push({
    type: "message_delta",
    delta: { stop_reason: (turn.toolCalls ?? []).length > 0 ? "tool_use" : "end_turn", stop_sequence: null },
    usage: { output_tokens: usage.outputTokens },
  });
  events.push({ type: "message_stop" });
  return events;
}

export function messagesJson(turn: FakeTurn, body: Body, turnIndex: number): unknown {
  const usage = resolveUsage(turn);
  const content: unknown[] = [];
  if (turn.webSearch !== undefined) content.push(...webSearchBlocks(turn.webSearch, turnIndex));
  if (turn.reasoning !== undefined) content.push({ type: "thinking", thinking: turn.reasoning, signature: fakeSignature(turn.reasoning) });
  if (turn.text !== undefined) content.push({ type: "text", text: turn.text });
  (turn.toolCalls ?? []).forEach((call, index) => {
    content.push({ type: "tool_use", id: toolUseId(turn, turnIndex, index), name: call.name, input: argumentsObject(call.arguments) });
  });
  return {
    id: `msg_${turnIndex}`,
    type: "message",
    role: "assistant",
    model: body.model ?? "fake-model",
    content,
    stop_reason: (turn.toolCalls ?? []).length > 0 ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteInputTokens,
      cache_creation_input_tokens: usage.cacheWriteInputTokens,
      cache_read_input_tokens: usage.cachedInputTokens,
      output_tokens: usage.outputTokens,
    },
  };
}

/** A hosted search as Anthropic answers it: the server tool call, its results, and text blocks citing them. */
function webSearchBlocks(search: NonNullable<FakeTurn["webSearch"]>, turnIndex: number): unknown[] {
  const id = `srvtoolu_${turnIndex}`;
  return [
    { type: "server_tool_use", id, name: "web_search", input: { query: search.query } },
    {
      type: "web_search_tool_result",
      tool_use_id: id,
      content: search.results.map((result) => ({
        type: "web_search_result",
        url: result.url,
        title: result.title,
        encrypted_content: `encrypted:${result.url}`,
        page_age: result.pageAge ?? null,
      })),
    },
    ...search.cited.map((cited) => ({
      type: "text",
      text: cited.text,
      citations: [
        { type: "web_search_result_location", url: cited.url, title: cited.title, cited_text: cited.quote, encrypted_index: "index" },
      ],
    })),
  ];
}

export function messagesError(status: number, message: string): unknown {
  const types: Record<number, string> = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    529: "overloaded_error",
  };
  return { type: "error", error: { type: types[status] ?? "api_error", message } };
}
