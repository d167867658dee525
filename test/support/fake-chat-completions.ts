// POST /v1/chat/completions as OpenAI sends it: `chat.completion.chunk` events (content deltas,
// tool_calls deltas with arguments split over several chunks, a usage chunk when asked), or one
// `chat.completion` JSON. Reasoning goes in `reasoning_content`, as vLLM and DeepSeek send it.

import { type FakeTurn, argumentPieces, fakeCreatedAt, resolveUsage, textPieces } from "./fake-turn.js";

type Body = { model?: string; stream_options?: { include_usage?: boolean } };

function usageJson(turn: FakeTurn) {
  const usage = resolveUsage(turn);
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

function callId(turn: FakeTurn, turnIndex: number, callIndex: number): string {
  return turn.toolCalls?.[callIndex]?.id ?? `call_${turnIndex}_${callIndex}`;
}

export function chatCompletionChunks(turn: FakeTurn, body: Body, turnIndex: number): unknown[] {
  const base = {
    id: `chatcmpl-${turnIndex}`,
    object: "chat.completion.chunk",
    created: fakeCreatedAt,
    model: body.model ?? "fake-model",
    system_fingerprint: null,
  };
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
  const chunks: unknown[] = [chunk({ role: "assistant", content: "" })];
  for (const piece of textPieces(turn.reasoning ?? "")) chunks.push(chunk({ reasoning_content: piece }));
  for (const piece of textPieces(turn.text ?? "")) chunks.push(chunk({ content: piece }));
  (turn.toolCalls ?? []).forEach((call, index) => {
    chunks.push(
      chunk({
        tool_calls: [{ index, id: callId(turn, turnIndex, index), type: "function", function: { name: call.name, arguments: "" } }],
      }),
    );
    for (const piece of argumentPieces(call.arguments)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  chunks.push(chunk({}, (turn.toolCalls ?? []).length > 0 ? "tool_calls" : "stop"));
  if (body.stream_options?.include_usage) chunks.push({ ...base, choices: [], usage: usageJson(turn) });
  return chunks;
}

export function chatCompletionJson(turn: FakeTurn, body: Body, turnIndex: number): unknown {
  const toolCalls = (turn.toolCalls ?? []).map((call, index) => ({
    id: callId(turn, turnIndex, index),
    type: "function",
    function: { name: call.name, arguments: call.arguments },
  }));
  return {
    id: `chatcmpl-${turnIndex}`,
    object: "chat.completion",
    created: fakeCreatedAt,
    model: body.model ?? "fake-model",
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: turn.text ?? (toolCalls.length > 0 ? null : ""),
          refusal: null,
          ...(turn.reasoning && { reasoning_content: turn.reasoning }),
          ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
        },
        logprobs: null,
        finish_reason: toolCalls.length > 0 ? "tool_calls" : "stop",
      },
    ],
    usage: usageJson(turn),
  };
}

export function chatCompletionError(status: number, message: string): unknown {
  const type =
    status === 401
      ? "invalid_request_error"
      : status === 429
        ? "rate_limit_exceeded"
        : status >= 500
          ? "server_error"
          : "invalid_request_error";
  const code = status === 401 ? "invalid_api_key" : status === 429 ? "rate_limit_exceeded" : null;
  return { error: { message, type, param: null, code } };
}
