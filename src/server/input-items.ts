import type { ContentPart, FunctionCallItem, Item } from "../core/items.js";
import { newId } from "../core/ids.js";
import { messageContent, type ContentPart as RequestContentPart } from "./conversation-input.js";
import { badRequest } from "./http-error.js";
import { hostedInputItems, hostedInputTypes } from "./hosted-input-items.js";

/** An item of a Responses request's `input`, or a Chat Completions message, as the client sent it. */
export type RequestEntry = Record<string, unknown>;

/**
 * Ponder's bookkeeping items that a client sends back with a previous `output`. None of them
 * reaches the model; they are kept as notes saying what they were, since their fields (an
 * artifact's host path, say) are Ponder's to set, never a client's.
 */
const bookkeepingTypes = new Set(["note", "artifact", "source", "approval_request", "approval_response"]);

/**
 * The Responses API's input items as run items. Every item gets a new id: ids are Ponder's to
 * give. Reasoning keeps only what the provider can check (its encrypted content), never other
 * provider data a client could forge. Types Ponder cannot map are refused, naming the item.
 */
export function responsesInputItems(input: RequestEntry[], references: ReadonlyMap<string, Item[]> = new Map()): Item[] {
  return input.flatMap((entry, index) => responsesInputItem(entry, `input.${index}`, references));
}

function responsesInputItem(entry: RequestEntry, param: string, references: ReadonlyMap<string, Item[]>): Item | Item[] {
  const type = entry.type ?? (typeof entry.role === "string" ? "message" : undefined);
  // Ponder's own calls sent back (listed as hosted-tool items) are read from the store, with their outputs.
  if (typeof type === "string" && hostedInputTypes.has(type))
    return (typeof entry.id === "string" ? references.get(entry.id)?.map(storedCopy) : undefined) ?? hostedInputItems(entry);
  switch (type) {
    case "item_reference": {
      const stored = typeof entry.id === "string" ? references.get(entry.id) : undefined;
      if (!stored)
        throw badRequest(
          `No item with id ${JSON.stringify(entry.id)} among your latest responses; send the item itself.`,
          `${param}.id`,
          "unknown_item_reference",
        );
      return stored.map(storedCopy);
    }
    case "message":
      return messageItem(entry.role, entry.content as string | RequestContentPart[] | null | undefined, param);
    case "function_call":
      return {
        type: "function_call",
        id: newId("fc"),
        call_id: text(entry.call_id, `${param}.call_id`),
        name: text(entry.name, `${param}.name`),
        arguments: text(entry.arguments, `${param}.arguments`, true),
      };
    case "function_call_output":
      return {
        type: "function_call_output",
        id: newId("fco"),
        call_id: text(entry.call_id, `${param}.call_id`),
        output: toolOutput(entry.output, `${param}.output`),
      };
    case "reasoning":
      return reasoningItem(entry, param);
    case "compaction":
      return compactionItem(entry, param);
    default:
      if (typeof type === "string" && bookkeepingTypes.has(type))
        return {
          type: "note",
          id: newId("note"),
          kind: "info",
          text: `Sent back by the client: a ${type} item${typeof entry.name === "string" ? ` (${entry.name})` : ""}.`,
        };
      throw badRequest(
        `Input items of type ${JSON.stringify(type)} are not supported by this server; send messages, function_call, function_call_output, reasoning and compaction items.`,
        `${param}.type`,
        "unsupported_input_item",
      );
  }
}

/**
 * Chat Completions messages as run items: user and system messages as messages, an assistant's
 * text as its message and its `tool_calls` as function calls, each `tool` message as the output
 * of the call it names.
 */
export function chatMessageItems(messages: RequestEntry[]): Item[] {
  return messages.flatMap((message, index): Item[] => {
    const param = `messages.${index}`;
    if (message.role === "tool") {
      return [
        {
          type: "function_call_output",
          id: newId("fco"),
          call_id: text(message.tool_call_id, `${param}.tool_call_id`),
          output: toolOutput(message.content, `${param}.content`),
        },
      ];
    }
    if (message.role === "function")
      throw badRequest(
        "Legacy `function` messages are not supported: send `tool` messages with the `tool_call_id` of the assistant's call.",
        `${param}.role`,
      );
    const content = message.content as string | RequestContentPart[] | null | undefined;
    const calls = message.role === "assistant" ? toolCalls(message.tool_calls, `${param}.tool_calls`) : [];
    const hasText = content !== null && content !== undefined && !(Array.isArray(content) && content.length === 0) && content !== "";
    return [...(hasText || calls.length === 0 ? [messageItem(message.role, content, `${param}`)] : []), ...calls];
  });
}

function toolCalls(value: unknown, param: string): FunctionCallItem[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest("tool_calls must be an array.", param);
  return value.map((call: Record<string, unknown>, index) => {
    const fn = (call?.function ?? {}) as Record<string, unknown>;
    if (call?.type !== undefined && call.type !== "function")
      throw badRequest(`Tool calls of type ${JSON.stringify(call.type)} are not supported; send function calls.`, `${param}.${index}.type`);
    return {
      type: "function_call",
      id: newId("fc"),
      call_id: text(call?.id, `${param}.${index}.id`),
      name: text(fn.name, `${param}.${index}.function.name`),
      arguments: text(fn.arguments, `${param}.${index}.function.arguments`, true),
    };
  });
}

function messageItem(role: unknown, content: string | RequestContentPart[] | null | undefined, param: string): Item {
  if (role !== "user" && role !== "assistant" && role !== "system" && role !== "developer")
    throw badRequest(`A message's role must be user, assistant, system or developer, not ${JSON.stringify(role)}.`, `${param}.role`);
  if (content !== null && content !== undefined && typeof content !== "string" && !Array.isArray(content))
    throw badRequest("A message's content must be text or an array of parts.", `${param}.content`);
  // An assistant's refusal is what it said.
  const parts = Array.isArray(content)
    ? content.map((part) =>
        part?.type === "refusal" && typeof part.refusal === "string" ? { type: "output_text", text: part.refusal } : part,
      )
    : content;
  const { text: said, images } = messageContent(parts, `${param}.content`);
  if (role === "assistant" && images.length > 0)
    throw badRequest("An assistant message carries text only.", `${param}.content`, "unsupported_content");
  const contentParts: ContentPart[] = [
    ...(said !== "" || images.length === 0
      ? [{ type: role === "assistant" ? ("output_text" as const) : ("input_text" as const), text: said }]
      : []),
    ...images,
  ];
  return { type: "message", id: newId("msg"), role, content: contentParts };
}

function reasoningItem(entry: RequestEntry, param: string): Item {
  const texts = (value: unknown, kind: string) =>
    Array.isArray(value)
      ? value.map((part: Record<string, unknown>, index) => ({
          type: kind,
          text: text(part?.text, `${param}.${kind === "summary_text" ? "summary" : "content"}.${index}.text`, true),
        }))
      : [];
  const encrypted = entry.encrypted_content;
  if (encrypted !== undefined && encrypted !== null && typeof encrypted !== "string")
    throw badRequest("encrypted_content must be a string.", `${param}.encrypted_content`);
  const content = texts(entry.content, "reasoning_text") as { type: "reasoning_text"; text: string }[];
  return {
    type: "reasoning",
    id: newId("rs"),
    summary: texts(entry.summary, "summary_text") as { type: "summary_text"; text: string }[],
    ...(content.length > 0 ? { content } : {}),
    // OpenAI's encrypted reasoning goes back to OpenAI as it came; without it the summary is all a provider gets.
    ...(typeof encrypted === "string" && encrypted !== ""
      ? { provider_metadata: { openai: { reasoningEncryptedContent: encrypted } } }
      : {}),
  };
}

/**
 * A compaction item (from `POST /v1/responses/compact`): the model reads its text in place of
 * what it replaced, after the user's own messages sent before it (context-view.ts). OpenAI's
 * field `encrypted_content` is read as that text.
 */
function compactionItem(entry: RequestEntry, param: string): Item {
  const said = typeof entry.text === "string" ? entry.text : entry.encrypted_content;
  return {
    type: "compaction",
    id: newId("cmp"),
    tier: entry.tier === "truncation" ? "truncation" : "summary",
    text: text(said, `${param}.text`),
    tokens_before: typeof entry.tokens_before === "number" ? entry.tokens_before : 0,
    tokens_after: typeof entry.tokens_after === "number" ? entry.tokens_after : 0,
  };
}

/** A stored item as it is (its provider data is Ponder's own), under a new id; bookkeeping stays out of the model's context. */
function storedCopy(stored: Item): Item {
  return bookkeepingTypes.has(stored.type)
    ? { type: "note", id: newId("note"), kind: "info", text: `A reference to a ${stored.type} item.` }
    : { ...stored, id: newId(stored.type === "message" ? "msg" : "item") };
}

function toolOutput(value: unknown, param: string): string | ContentPart[] {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) throw badRequest("A tool output must be text or an array of text and image parts.", param);
  const { text: said, images } = messageContent(value as RequestContentPart[], param);
  return images.length === 0 ? said : [{ type: "input_text", text: said }, ...images];
}

function text(value: unknown, param: string, allowEmpty = false): string {
  if (typeof value !== "string" || (!allowEmpty && value === ""))
    throw badRequest(`${param} must be a${allowEmpty ? "" : " non-empty"} string.`, param);
  return value;
}
