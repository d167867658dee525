// Converts Ponder's items (Responses API shapes) to the AI SDK provider prompt, so one
// conversion serves every provider package. Assistant-side items keep their order and their
// provider metadata, which is what lets OpenAI reasoning items and Anthropic thinking signatures
// go back to the provider unchanged.

import type {
  LanguageModelV3FilePart,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3TextPart,
  LanguageModelV3ToolResultOutput,
  LanguageModelV3ToolResultPart,
  SharedV3ProviderOptions,
} from "@ai-sdk/provider";
import type { ContentPart, FunctionCallItem, FunctionCallOutputItem, ImagePart, Item, ReasoningItem } from "../core/items.js";
import { outputText } from "../core/items.js";

export type PromptOptions = {
  /**
   * How images in tool results reach the model. "inline": inside the tool result (Responses API,
   * Anthropic). "user-message": Chat Completions tool messages carry text only, so the result
   * says where the images are and a user message with them follows the tool messages.
   */
  toolResultImages: "inline" | "user-message";
};

type AssistantPart = Extract<LanguageModelV3Message, { role: "assistant" }>["content"][number];
type UserPart = LanguageModelV3TextPart | LanguageModelV3FilePart;

/** Key of the object a malformed tool call's raw arguments are wrapped in; see `toolCallInput`. */
export const unparsedArgumentsKey = "unparsed_arguments";

export function itemsToPrompt(instructions: string | undefined, items: Item[], options: PromptOptions): LanguageModelV3Prompt {
  const prompt: LanguageModelV3Prompt = [];
  if (instructions) prompt.push({ role: "system", content: instructions });
  const toolNames = new Map(
    items.filter((item): item is FunctionCallItem => item.type === "function_call").map((item) => [item.call_id, item.name]),
  );
  let assistant: AssistantPart[] = [];
  let toolResults: LanguageModelV3ToolResultPart[] = [];
  let toolImages: UserPart[] = [];

  const flushAssistant = () => {
    if (assistant.length > 0) prompt.push({ role: "assistant", content: assistant });
    assistant = [];
  };
  const flushToolResults = () => {
    if (toolResults.length > 0) prompt.push({ role: "tool", content: toolResults });
    if (toolImages.length > 0) prompt.push({ role: "user", content: toolImages });
    toolResults = [];
    toolImages = [];
  };

  for (const item of items) {
    switch (item.type) {
      case "message": {
        if (item.role === "assistant") {
          flushToolResults();
          const text = item.content
            .filter((part) => part.type !== "input_image")
            .map((part) => ("text" in part ? part.text : ""))
            .join("");
          if (text.length > 0) assistant.push({ type: "text", text });
          break;
        }
        flushAssistant();
        flushToolResults();
        // System text before the conversation starts is instructions; later it can only be said
        // as a user turn, since several providers accept system text only at the top.
        const isLeadingSystem = item.role !== "user" && prompt.every((message) => message.role === "system");
        if (isLeadingSystem) {
          prompt.push({ role: "system", content: item.content.map((part) => ("text" in part ? part.text : "")).join("") });
        } else {
          prompt.push({ role: "user", content: item.content.map(userPart) });
        }
        break;
      }
      case "reasoning":
        flushToolResults();
        assistant.push(...reasoningParts(item));
        break;
      case "function_call":
        flushToolResults();
        assistant.push({
          type: "tool-call",
          toolCallId: item.call_id,
          toolName: item.name,
          input: toolCallInput(item.arguments),
          ...(item.provider_metadata && { providerOptions: item.provider_metadata as SharedV3ProviderOptions }),
        });
        break;
      case "function_call_output": {
        flushAssistant();
        const converted = toolResult(item, toolNames.get(item.call_id) ?? "unknown_tool", options);
        toolResults.push(converted.part);
        toolImages.push(...converted.followUp);
        break;
      }
      default:
        // approval_request / approval_response / artifact / note are Ponder's own records.
        break;
    }
  }
  flushAssistant();
  flushToolResults();
  return prompt;
}

/**
 * The tool call input as the providers take it. Valid JSON objects are passed as the exact
 * string the model wrote. Anything else (malformed JSON, or JSON that is not an object) cannot
 * go back as is — every API wants an object there — so it goes back wrapped, raw text intact,
 * which lets the model read its own mistake next to our error.
 */
export function toolCallInput(rawArguments: string): unknown {
  try {
    const parsed: unknown = JSON.parse(rawArguments);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return rawArguments;
  } catch {
    // Falls through to the wrapped form.
  }
  return { [unparsedArgumentsKey]: rawArguments };
}

function reasoningParts(item: ReasoningItem): AssistantPart[] {
  const texts = [...item.summary.map((part) => part.text), ...(item.content ?? []).map((part) => part.text)];
  const providerOptions = item.provider_metadata as SharedV3ProviderOptions | undefined;
  // Reasoning without provider data and without text carries nothing a provider could use.
  if (texts.length === 0 && providerOptions === undefined) return [];
  return (texts.length > 0 ? texts : [""]).map((text) => ({
    type: "reasoning" as const,
    text,
    ...(providerOptions && { providerOptions }),
  }));
}

function userPart(part: ContentPart): UserPart {
  if (part.type === "input_image") return imageFilePart(part);
  return { type: "text", text: part.text };
}

function imageFilePart(part: ImagePart): LanguageModelV3FilePart {
  const detail = part.detail ? { providerOptions: { openai: { imageDetail: part.detail } } } : {};
  const dataUrl = parseDataUrl(part.image_url);
  if (dataUrl) return { type: "file", mediaType: dataUrl.mediaType, data: dataUrl.data, ...detail };
  return { type: "file", mediaType: mediaTypeFromUrl(part.image_url), data: new URL(part.image_url), ...detail };
}

function toolResult(
  item: FunctionCallOutputItem,
  toolName: string,
  options: PromptOptions,
): { part: LanguageModelV3ToolResultPart; followUp: UserPart[] } {
  const base = { type: "tool-result" as const, toolCallId: item.call_id, toolName };
  const images = typeof item.output === "string" ? [] : item.output.filter((part): part is ImagePart => part.type === "input_image");
  if (item.error_kind !== undefined) {
    return { part: { ...base, output: { type: "error-text", value: outputText(item.output) } }, followUp: [] };
  }
  if (images.length === 0) {
    return { part: { ...base, output: { type: "text", value: outputText(item.output) } }, followUp: [] };
  }
  const parts = item.output as ContentPart[];
  if (options.toolResultImages === "inline") {
    const value: Extract<LanguageModelV3ToolResultOutput, { type: "content" }>["value"] = parts.map((part) => {
      if (part.type !== "input_image") return { type: "text", text: part.text };
      const dataUrl = parseDataUrl(part.image_url);
      return dataUrl
        ? { type: "image-data", data: dataUrl.data, mediaType: dataUrl.mediaType }
        : { type: "image-url", url: part.image_url };
    });
    return { part: { ...base, output: { type: "content", value } }, followUp: [] };
  }
  let imageNumber = 0;
  const text = parts
    .map((part) => (part.type === "input_image" ? `[image ${++imageNumber}: in the next user message]` : part.text))
    .join("\n");
  const followUp: UserPart[] = [
    { type: "text", text: `Images returned by tool call ${item.call_id} (${toolName}):` },
    ...images.map(imageFilePart),
  ];
  return { part: { ...base, output: { type: "text", value: text } }, followUp };
}

function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(url);
  if (!match) return undefined;
  const mediaType = match[1] ?? "application/octet-stream";
  const payload = match[3] ?? "";
  const data = match[2] ? payload : Buffer.from(decodeURIComponent(payload)).toString("base64");
  return { mediaType, data };
}

function mediaTypeFromUrl(url: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#].*)?$/i.exec(url)?.[1]?.toLowerCase();
  const known: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp" };
  return (extension && known[extension]) ?? "image/*";
}
