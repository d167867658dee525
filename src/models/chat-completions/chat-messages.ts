// The provider prompt (from items-to-prompt.ts, which every client shares) as Chat Completions
// messages, the way OpenAI, Ollama, vLLM and llama.cpp read them.

import type { LanguageModelV3FilePart, LanguageModelV3Prompt, LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";

export type ChatMessage =
  | { role: "system" | "developer"; content: string }
  | { role: "user"; content: string | ChatUserPart[] }
  | { role: "assistant"; content: string | null; reasoning_content?: string; tool_calls?: ChatToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

export type ChatUserPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string; detail?: string } };

export type ChatToolCall = { id: string; type: "function"; function: { name: string; arguments: string } };

export type ChatMessageOptions = {
  /** OpenAI reasoning models take instructions as `developer`; everything else as `system`. */
  systemRole: "system" | "developer";
  /** Send earlier reasoning back as `reasoning_content` (open models that think aloud). */
  reasoningContent: boolean;
};

export function toChatMessages(prompt: LanguageModelV3Prompt, options: ChatMessageOptions): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case "system":
        messages.push({ role: options.systemRole, content: message.content });
        break;
      case "user": {
        const only = message.content[0];
        if (message.content.length === 1 && only?.type === "text") {
          messages.push({ role: "user", content: only.text });
          break;
        }
        messages.push({
          role: "user",
          content: message.content.map((part) => (part.type === "text" ? { type: "text", text: part.text } : imagePart(part))),
        });
        break;
      }
      case "assistant": {
        let text = "";
        let reasoning = "";
        const toolCalls: ChatToolCall[] = [];
        for (const part of message.content) {
          if (part.type === "text") text += part.text;
          else if (part.type === "reasoning") reasoning += part.text;
          else if (part.type === "tool-call") {
            const input = typeof part.input === "string" ? part.input : JSON.stringify(part.input);
            toolCalls.push({ id: part.toolCallId, type: "function", function: { name: part.toolName, arguments: input } });
          }
        }
        messages.push({
          role: "assistant",
          content: toolCalls.length > 0 && text === "" ? null : text,
          ...(options.reasoningContent && reasoning.length > 0 && { reasoning_content: reasoning }),
          ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
        });
        break;
      }
      case "tool":
        for (const part of message.content) {
          if (part.type === "tool-result")
            messages.push({ role: "tool", tool_call_id: part.toolCallId, content: toolResultText(part.output) });
        }
        break;
    }
  }
  return messages;
}

function imagePart(part: LanguageModelV3FilePart): ChatUserPart {
  const detail = part.providerOptions?.openai?.imageDetail;
  const mediaType = part.mediaType === "image/*" ? "image/jpeg" : part.mediaType;
  const url =
    part.data instanceof URL
      ? part.data.toString()
      : `data:${mediaType};base64,${typeof part.data === "string" ? part.data : Buffer.from(part.data).toString("base64")}`;
  return { type: "image_url", image_url: { url, ...(typeof detail === "string" && { detail }) } };
}

function toolResultText(output: LanguageModelV3ToolResultOutput): string {
  switch (output.type) {
    case "text":
    case "error-text":
      return output.value;
    case "execution-denied":
      return output.reason ?? "Tool call execution denied.";
    default:
      return JSON.stringify(output.value);
  }
}
