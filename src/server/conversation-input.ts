import { badRequest } from "./http-error.js";

/** A message as Chat Completions and the Responses API send it, reduced to what a run reads. */
export type ConversationMessage = { role: string; text: string };

type Part = { type: string; text?: string };

/**
 * Text of a message's content. Images are refused with a clear error rather than dropped,
 * because an answer about an image the model never saw would be wrong.
 */
export function contentText(content: string | null | undefined | Part[], param: string): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content
    .map((part, index) => {
      if (typeof part.text === "string") return part.text;
      throw badRequest(`Content of type "${part.type}" is not supported by this server yet; send text.`, `${param}.${index}`, "unsupported_content");
    })
    .join("");
}

/**
 * The run's input for a conversation. A run takes one question, so earlier turns and the
 * client's system prompt become context written above the last user message; Ponder's own
 * instructions (how to think and use tools) stay in place.
 */
export function conversationInput(messages: ConversationMessage[], instructions?: string): string {
  const lastUser = messages.map((message) => message.role).lastIndexOf("user");
  if (lastUser === -1 || (messages[lastUser]?.text.trim() ?? "") === "") throw badRequest("The request needs a user message with text.", "messages", "missing_user_message");
  const system = [instructions ?? "", ...messages.filter((message) => message.role === "system" || message.role === "developer").map((message) => message.text)]
    .filter((text) => text.trim() !== "")
    .join("\n\n");
  const earlier = messages.slice(0, lastUser).filter((message) => message.role !== "system" && message.role !== "developer");
  const question = messages[lastUser]?.text ?? "";
  const sections = [
    system ? `Instructions from the client:\n${system}` : "",
    earlier.length > 0 ? `Conversation so far:\n${earlier.map((message) => `${message.role}: ${message.text}`).join("\n\n")}` : "",
  ].filter((section) => section !== "");
  return sections.length === 0 ? question : `${sections.join("\n\n")}\n\nThe user's message:\n${question}`;
}
