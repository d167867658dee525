// A run as one line of OpenAI's chat fine-tuning format with tools: system, user, assistant
// (text and tool_calls), tool messages, and the tools' JSON Schemas. Reasoning and notes are
// left out (the format has no place for them; notes were never shown to the model). An
// assistant turn whose tool results include an infra_error gets weight 0, so training never
// learns from what the model did about a fault that was ours.
import type { ContentPart } from "../../core/items.js";
import { outputText } from "../../core/items.js";
import { defaultInstructions } from "../../loop/default-instructions.js";
import type { ToolDefinition } from "../../models/model-client.js";
import type { Trajectory } from "./trajectory-source.js";

type ChatContent = string | ({ type: "text"; text: string } | { type: "image_url"; image_url: { url: string } })[];
type ChatToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };
export type ChatMessage =
  | { role: "system" | "user"; content: ChatContent }
  | { role: "assistant"; content: string | null; tool_calls?: ChatToolCall[]; weight?: 0 | 1 }
  | { role: "tool"; tool_call_id: string; content: string };

export type ChatExample = {
  messages: ChatMessage[];
  tools?: { type: "function"; function: { name: string; description: string; parameters: Record<string, unknown> } }[];
};

export function openAiChatExample(trajectory: Trajectory, definitionOf: (name: string) => ToolDefinition | undefined): ChatExample {
  const messages: ChatMessage[] = [];
  // The system prompt the model actually saw: the run's own, else Ponder's default.
  messages.push({ role: "system", content: trajectory.record.spec.instructions ?? defaultInstructions });
  const infraCalls = new Set(
    trajectory.items.flatMap(({ item }) =>
      item.type === "function_call_output" && item.error_kind === "infra_error" ? [item.call_id] : [],
    ),
  );
  let assistant: Extract<ChatMessage, { role: "assistant" }> | undefined;
  let assistantStep = -1;
  for (const { step, item } of trajectory.items) {
    if ((item.type === "message" && item.role === "assistant") || item.type === "function_call") {
      // One assistant message per model turn: its text and every tool call it made.
      if (!assistant || assistantStep !== step) {
        assistant = { role: "assistant", content: null };
        assistantStep = step;
        messages.push(assistant);
      }
      if (item.type === "message") assistant.content = `${assistant.content ?? ""}${chatText(item.content)}`;
      else {
        assistant.tool_calls = [
          ...(assistant.tool_calls ?? []),
          { id: item.call_id, type: "function", function: { name: item.name, arguments: item.arguments } },
        ];
        if (infraCalls.has(item.call_id)) assistant.weight = 0;
      }
      continue;
    }
    assistant = undefined;
    if (item.type === "message") messages.push({ role: item.role === "user" ? "user" : "system", content: chatContent(item.content) });
    else if (item.type === "function_call_output")
      messages.push({ role: "tool", tool_call_id: item.call_id, content: outputText(item.output) });
  }
  const names = [...new Set(trajectory.items.flatMap(({ item }) => (item.type === "function_call" ? [item.name] : [])))];
  const tools = [...new Set([...trajectory.record.spec.tools.filter((name) => !name.endsWith("__*")), ...names])].map((name) => {
    const definition = definitionOf(name);
    return {
      type: "function" as const,
      function: { name, description: definition?.description ?? "", parameters: definition?.inputSchema ?? { type: "object" } },
    };
  });
  return { messages, ...(tools.length > 0 ? { tools } : {}) };
}

function chatText(content: ContentPart[]): string {
  return content.map((part) => (part.type === "input_image" ? "" : part.text)).join("");
}

function chatContent(content: ContentPart[]): ChatContent {
  if (content.every((part) => part.type !== "input_image")) return chatText(content);
  return content.map((part) =>
    part.type === "input_image"
      ? { type: "image_url" as const, image_url: { url: part.image_url } }
      : { type: "text" as const, text: part.text },
  );
}
