// Items follow the OpenAI Responses API item shapes, so trajectories and the HTTP server speak
// that vocabulary without translation. Ponder adds approval_request/approval_response,
// artifact, note and compaction.

export type TextPart = { type: "input_text" | "output_text"; text: string };
/** An image the model sees. `image_url` is a data: URL (or https URL) as in the Responses API. */
export type ImagePart = { type: "input_image"; image_url: string; detail?: "low" | "high" | "auto" };
export type ContentPart = TextPart | ImagePart;

export type MessageItem = {
  type: "message";
  id: string;
  role: "user" | "assistant" | "system" | "developer";
  content: ContentPart[];
};

export type ReasoningItem = {
  type: "reasoning";
  id: string;
  /** Short summaries the provider chose to show (OpenAI reasoning summaries). */
  summary: { type: "summary_text"; text: string }[];
  /** Raw reasoning text, when the provider exposes it (Anthropic thinking, open models). */
  content?: { type: "reasoning_text"; text: string }[];
  /** Opaque provider data (signatures, encrypted content) needed to send the item back. */
  provider_metadata?: Record<string, unknown>;
};

export type FunctionCallItem = {
  type: "function_call";
  id: string;
  call_id: string;
  name: string;
  /** The arguments exactly as the model wrote them: possibly not valid JSON. */
  arguments: string;
  provider_metadata?: Record<string, unknown>;
};

/**
 * Why a tool call produced no normal result. `infra_error` separates our faults from the model's.
 * `unknown_outcome`: the process running the call stopped before its result was recorded, and the
 * call was not run again (its tool does not declare repeating it safe), so its effects are unknown.
 */
export type ToolErrorKind =
  "invalid_arguments" | "unknown_tool" | "tool_error" | "timeout" | "infra_error" | "denied" | "cancelled" | "unknown_outcome";

export type FunctionCallOutputItem = {
  type: "function_call_output";
  id: string;
  call_id: string;
  /** What the model reads. For errors, a message that says what happened and what to do. */
  output: string | ContentPart[];
  error_kind?: ToolErrorKind;
  duration_ms?: number;
};

export type ApprovalRequestItem = {
  type: "approval_request";
  id: string;
  call_id: string;
  name: string;
  arguments: string;
};

export type ApprovalResponseItem = {
  type: "approval_response";
  id: string;
  call_id: string;
  approve: boolean;
  reason?: string;
};

export type ArtifactItem = {
  type: "artifact";
  id: string;
  call_id?: string;
  name: string;
  /**
   * Absolute path, on the machine that ran the tool, of the copy kept when the artifact was
   * recorded (out of the sandbox's reach; see tools/files/kept-artifacts.ts), or of the file in
   * the workspace when none was kept (too large, or recorded before copies were kept).
   */
  path: string;
  media_type: string;
  bytes: number;
};

/**
 * A page, file or document a tool read: the run's citation ledger. `source_id` is stable for the
 * same URL (tools derive it from the URL), so a writer can cite it and a checker can find the
 * text that was read (`text_path`).
 */
export type SourceItem = {
  type: "source";
  id: string;
  source_id: string;
  call_id?: string;
  url: string;
  title: string;
  fetched_at: string;
  /** sha256 of the text that was read. */
  content_hash: string;
  media_type: string;
  /** Where the extracted text is kept, beside the run's workspace. */
  text_path?: string;
};

export type NoteKind = "budget" | "kernel-restarted" | "resumed" | "steer" | "repair" | "info" | "context";

export type NoteItem = { type: "note"; id: string; kind: NoteKind; text: string };

/**
 * From here on the model's context shows part of the log in a shorter form; the log itself keeps
 * every item (see src/loop/context/). `stub` (tier 1): the outputs of `stubbed_call_ids` are shown
 * as short stubs the model can bring back with `recall`. `summary` (tier 2): the items up to and
 * including `through_id`, except the user's own messages, are shown as `text`. `truncation`: as
 * `summary`, for when summarising failed; `text` is then made without a model.
 */
export type CompactionItem = {
  type: "compaction";
  id: string;
  tier: "stub" | "summary" | "truncation";
  /** What the model reads in place of what was compacted (the summary, the plan, how to recall). */
  text: string;
  stubbed_call_ids?: string[];
  through_id?: string;
  /** Estimated tokens of the next request before and after this compaction. */
  tokens_before: number;
  tokens_after: number;
};

export type Item =
  | MessageItem
  | ReasoningItem
  | FunctionCallItem
  | FunctionCallOutputItem
  | ApprovalRequestItem
  | ApprovalResponseItem
  | ArtifactItem
  | SourceItem
  | NoteItem
  | CompactionItem;

export type ItemType = Item["type"];

/** Text of a message's content parts, images left out. */
export function messageText(item: MessageItem): string {
  return item.content
    .filter((part): part is TextPart => part.type !== "input_image")
    .map((part) => part.text)
    .join("");
}

export function outputText(output: FunctionCallOutputItem["output"]): string {
  if (typeof output === "string") return output;
  return output.map((part) => (part.type === "input_image" ? "[image]" : part.text)).join("\n");
}
