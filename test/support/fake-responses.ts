// POST /v1/responses as OpenAI sends it: the real event sequence (response.created, in_progress,
// output_item.added/done around reasoning summary parts, message content parts and function
// call argument deltas, response.completed with usage), or the final response as JSON.
// Reasoning carries encrypted content when the request includes `reasoning.encrypted_content`.

import { type FakeTurn, argumentPieces, fakeCreatedAt, resolveUsage, textPieces } from "./fake-turn.js";

type Body = { model?: string; include?: string[]; store?: boolean; tool_choice?: unknown; tools?: unknown[] };
export type ResponsesEvent = { type: string } & Record<string, unknown>;

function responseObject(turn: FakeTurn, body: Body, turnIndex: number, status: "in_progress" | "completed", output: unknown[]) {
  const usage = resolveUsage(turn);
  return {
    id: `resp_${turnIndex}`,
    object: "response",
    created_at: fakeCreatedAt,
    status,
    model: body.model ?? "fake-model",
    output,
    error: null,
    incomplete_details: null,
    instructions: null,
    parallel_tool_calls: true,
    tool_choice: body.tool_choice ?? "auto",
    tools: body.tools ?? [],
    temperature: null,
    top_p: null,
    store: body.store ?? true,
    text: { format: { type: "text" } },
    reasoning: { effort: null, summary: null },
    metadata: {},
    usage:
      status === "completed"
        ? {
            input_tokens: usage.inputTokens,
            input_tokens_details: { cached_tokens: usage.cachedInputTokens },
            output_tokens: usage.outputTokens,
            output_tokens_details: { reasoning_tokens: usage.reasoningTokens },
            total_tokens: usage.inputTokens + usage.outputTokens,
          }
        : null,
  };
}

/** The finished output items of the turn, in the order they are streamed. */
function outputItems(turn: FakeTurn, body: Body, turnIndex: number): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (turn.webSearch !== undefined) items.push(...webSearchItems(turn.webSearch, turnIndex));
  if (turn.reasoning !== undefined) {
    const encrypted = body.include?.includes("reasoning.encrypted_content")
      ? `encrypted:${Buffer.from(turn.reasoning).toString("base64")}`
      : null;
    items.push({
      id: `rs_${turnIndex}`,
      type: "reasoning",
      summary: [{ type: "summary_text", text: turn.reasoning }],
      ...(encrypted !== null && { encrypted_content: encrypted }),
    });
  }
  if (turn.text !== undefined) {
    items.push({
      id: `msg_${turnIndex}`,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: turn.text, annotations: [], logprobs: [] }],
    });
  }
  (turn.toolCalls ?? []).forEach((call, index) => {
    items.push({
      id: `fc_${turnIndex}_${index}`,
      type: "function_call",
      status: "completed",
      call_id: call.id ?? `call_${turnIndex}_${index}`,
      name: call.name,
      arguments: call.arguments,
    });
  });
  return items;
}

/** A hosted search's call item and the message whose `url_citation` annotations point at its pages. */
function webSearchItems(search: NonNullable<FakeTurn["webSearch"]>, turnIndex: number): Record<string, unknown>[] {
  let text = "";
  const annotations = search.cited.map((cited) => {
    const start = text.length;
    text += `${cited.text} `;
    return { type: "url_citation", start_index: start, end_index: start + cited.text.length, url: cited.url, title: cited.title };
  });
  return [
    {
      id: `ws_${turnIndex}`,
      type: "web_search_call",
      status: "completed",
      action: { type: "search", query: search.query, sources: search.results.map((result) => ({ type: "url", url: result.url })) },
    },
    {
      id: `msg_ws_${turnIndex}`,
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: text.trim(), annotations, logprobs: [] }],
    },
  ];
}

export function responsesEvents(turn: FakeTurn, body: Body, turnIndex: number): ResponsesEvent[] {
  const events: ResponsesEvent[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => events.push({ type, sequence_number: events.length, ...fields });
  emit("response.created", { response: responseObject(turn, body, turnIndex, "in_progress", []) });
  emit("response.in_progress", { response: responseObject(turn, body, turnIndex, "in_progress", []) });
  const items = outputItems(turn, body, turnIndex);
  items.forEach((item, outputIndex) => {
    const at = { item_id: item.id, output_index: outputIndex };
    if (item.type === "reasoning") {
      const text = turn.reasoning ?? "";
      emit("response.output_item.added", { output_index: outputIndex, item: { id: item.id, type: "reasoning", summary: [] } });
      emit("response.reasoning_summary_part.added", { ...at, summary_index: 0, part: { type: "summary_text", text: "" } });
      for (const delta of textPieces(text)) emit("response.reasoning_summary_text.delta", { ...at, summary_index: 0, delta });
      emit("response.reasoning_summary_text.done", { ...at, summary_index: 0, text });
      emit("response.reasoning_summary_part.done", { ...at, summary_index: 0, part: { type: "summary_text", text } });
    } else if (item.type === "message") {
      const text = turn.text ?? "";
      const emptyPart = { type: "output_text", text: "", annotations: [], logprobs: [] };
      emit("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", content: [] } });
      emit("response.content_part.added", { ...at, content_index: 0, part: emptyPart });
      for (const delta of textPieces(text)) emit("response.output_text.delta", { ...at, content_index: 0, delta, logprobs: [] });
      emit("response.output_text.done", { ...at, content_index: 0, text, logprobs: [] });
      emit("response.content_part.done", { ...at, content_index: 0, part: { ...emptyPart, text } });
    } else {
      const text = String(item.arguments);
      emit("response.output_item.added", { output_index: outputIndex, item: { ...item, status: "in_progress", arguments: "" } });
      for (const delta of argumentPieces(text)) emit("response.function_call_arguments.delta", { ...at, delta });
      emit("response.function_call_arguments.done", { ...at, arguments: text });
    }
    emit("response.output_item.done", { output_index: outputIndex, item });
  });
  emit("response.completed", { response: responseObject(turn, body, turnIndex, "completed", items) });
  return events;
}

export function responsesJson(turn: FakeTurn, body: Body, turnIndex: number): unknown {
  const items = outputItems(turn, body, turnIndex);
  return responseObject(turn, body, turnIndex, "completed", items);
}
