// The Chat Completions request body for one turn, as UTF-8 bytes. Tool definitions are the
// biggest and the most repeated part of it (the same tools every step of every run), so each
// tool is serialised and encoded once and its bytes copied in: a request encodes only its
// messages, not ~15 KB of schemas (which one non-Latin-1 character in a description would
// otherwise make a two-byte string, measured and encoded again on every request).

import { providerOptionsFor } from "../effort-options.js";
import { itemsToPrompt } from "../items-to-prompt.js";
import type { ProviderApi } from "../model-capabilities.js";
import type { ModelCapabilities, ModelRequest, ToolDefinition } from "../model-client.js";
import { toChatMessages } from "./chat-messages.js";
import { chatRequestSettings, chatToolChoice } from "../request-settings.js";

export type ChatRequestContext = {
  api: Extract<ProviderApi, "openai-chat" | "openai-compatible">;
  modelName: string;
  capabilities: ModelCapabilities;
};

// By parameters schema (shared by every run's tool objects); name and description are checked
// because two tools may share one schema.
const serialisedTools = new WeakMap<Record<string, unknown>, { name: string; description: string; bytes: Buffer }>();
const comma = Buffer.from(",");
const joinedTools = new WeakMap<ToolDefinition[], Buffer>();

export function chatRequestBody(request: ModelRequest, context: ChatRequestContext, stream: boolean): Buffer {
  const { api, modelName, capabilities } = context;
  const openAIReasoning = api === "openai-chat" && capabilities.reasoning;
  const prompt = itemsToPrompt(request.instructions, request.items, { toolResultImages: "user-message" });
  const reasoningEffort = reasoningEffortFor(request, context);
  const body: Record<string, unknown> = {
    model: modelName,
    messages: toChatMessages(prompt, {
      systemRole: openAIReasoning ? "developer" : "system",
      reasoningContent: api === "openai-compatible",
    }),
  };
  // OpenAI's reasoning models reject max_tokens; older compatible servers know only max_tokens.
  if (request.maxOutputTokens !== undefined) body[openAIReasoning ? "max_completion_tokens" : "max_tokens"] = request.maxOutputTokens;
  if (reasoningEffort !== undefined) body.reasoning_effort = reasoningEffort;
  // OpenAI routes requests with one key to one prompt cache; other servers may refuse fields they do not know.
  if (api === "openai-chat" && request.cacheKey !== undefined) body.prompt_cache_key = request.cacheKey;
  Object.assign(body, chatRequestSettings(request));
  if (stream) {
    body.stream = true;
    // The usage chunk at the end of the stream: budgets need token counts.
    body.stream_options = { include_usage: true };
  }
  // OpenAI-compatible servers (older Ollama, llama.cpp) may ignore tool_choice "none"; without
  // tool definitions they cannot call tools at all.
  const sendTools = request.tools.length > 0 && !(request.toolChoice === "none" && api === "openai-compatible");
  const json = JSON.stringify(body);
  if (!sendTools) return Buffer.from(json);
  return Buffer.concat([
    Buffer.from(`${json.slice(0, -1)},"tools":[`),
    toolsBytes(request.tools),
    Buffer.from(`],"tool_choice":${JSON.stringify(chatToolChoice(request.toolChoice))}}`),
  ]);
}

/** The tools' part of the body, joined once per list: runs sharing their tools share the list (loop/tool-definitions.ts). */
function toolsBytes(tools: ToolDefinition[]): Buffer {
  const known = joinedTools.get(tools);
  if (known !== undefined) return known;
  const joined = Buffer.concat(tools.flatMap((tool, index) => (index > 0 ? [comma, toolBytes(tool)] : [toolBytes(tool)])));
  joinedTools.set(tools, joined);
  return joined;
}

function toolBytes(tool: ToolDefinition): Buffer {
  const known = serialisedTools.get(tool.inputSchema);
  if (known !== undefined && known.name === tool.name && known.description === tool.description) return known.bytes;
  const strict = tool.strict === undefined ? "" : `,"strict":${tool.strict}`;
  const json = `{"type":"function","function":{"name":${JSON.stringify(tool.name)},"description":${JSON.stringify(tool.description)},"parameters":${JSON.stringify(tool.inputSchema)}${strict}}}`;
  const bytes = Buffer.from(json);
  serialisedTools.set(tool.inputSchema, { name: tool.name, description: tool.description, bytes });
  return bytes;
}

/** The `reasoning_effort` value, by the same rules as the AI SDK path (effort-options.ts). */
function reasoningEffortFor(request: ModelRequest, context: ChatRequestContext): string | undefined {
  const options = providerOptionsFor({
    api: context.api,
    modelName: context.modelName,
    capabilities: context.capabilities,
    effort: request.effort,
    compatibleOptionsKey: "compatible",
  });
  const effort = Object.values(options ?? {})[0]?.reasoningEffort;
  return typeof effort === "string" ? effort : undefined;
}
