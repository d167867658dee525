import { outputText, type ArtifactItem, type FunctionCallItem, type FunctionCallOutputItem, type SourceItem } from "../core/items.js";

/** Everything the server knows about one of Ponder's own tool calls when it lists it. */
export type PonderCall = {
  call: FunctionCallItem;
  /** Absent while the call runs (or waits for approval). */
  output?: FunctionCallOutputItem;
  /** Files the call made and pages it read (matched by call id). */
  artifacts: ArtifactItem[];
  sources: SourceItem[];
};

/** Where a run's files and workspace are, as response items name them. */
export type RunPlace = { runId: string; workspaceId: string };

/**
 * The hosted-tool family a Ponder tool belongs to: the OpenAI item type clients already treat as
 * work the server did. The table in docs/server.md lists the same mapping.
 */
export type HostedToolKind = "code_interpreter_call" | "web_search_call" | "mcp_call";

const webActions: Record<string, (args: Record<string, unknown>) => Record<string, unknown>> = {
  web_search: (args) => ({ type: "search", query: stringField(args.query) }),
  search_documents: (args) => ({ type: "search", query: stringField(args.query) }),
  read_page: (args) => ({ type: "open_page", url: stringField(args.url) }),
  browser_open: (args) => ({ type: "open_page", url: stringField(args.url) }),
  find_in_page: (args) => ({ type: "find_in_page", url: stringField(args.url), pattern: stringField(args.query) }),
};

export function hostedToolKind(name: string): HostedToolKind {
  if (name === "python") return "code_interpreter_call";
  if (name in webActions) return "web_search_call";
  return "mcp_call";
}

/** `server__tool` names are an MCP server's tools (see mcp-tool-names.ts); the rest are Ponder's own, under `ponder`. */
export function mcpServerAndTool(name: string): { serverLabel: string; tool: string } {
  const split = name.indexOf("__");
  if (split > 0 && split + 2 < name.length) return { serverLabel: name.slice(0, split), tool: name.slice(split + 2) };
  return { serverLabel: "ponder", tool: name };
}

/** One of Ponder's calls as its hosted-tool item: `in_progress` until its output is recorded. */
export function hostedToolItem(entry: PonderCall, place: RunPlace): Record<string, unknown> {
  const { call, output } = entry;
  const kind = hostedToolKind(call.name);
  const failed = output?.error_kind !== undefined;
  const status = output === undefined ? "in_progress" : failed ? "failed" : "completed";
  const args = parsedArguments(call.arguments);
  if (kind === "code_interpreter_call") {
    return {
      type: "code_interpreter_call",
      id: call.id,
      status,
      code: stringField(args.code) || call.arguments,
      container_id: place.workspaceId,
      outputs: output === undefined ? null : codeOutputs(entry, place),
    };
  }
  if (kind === "web_search_call") {
    const action = (webActions[call.name] as (args: Record<string, unknown>) => Record<string, unknown>)(args);
    if (action.type === "search" && entry.sources.length > 0)
      action.sources = entry.sources.map((source) => ({ type: "url", url: source.url }));
    return { type: "web_search_call", id: call.id, status, action };
  }
  const { serverLabel, tool } = mcpServerAndTool(call.name);
  const text = output === undefined ? null : outputText(output.output);
  return {
    type: "mcp_call",
    id: call.id,
    status,
    server_label: serverLabel,
    name: tool,
    arguments: call.arguments,
    output: failed ? null : text,
    error: failed ? text : null,
    approval_request_id: null,
  };
}

/** The code interpreter's outputs: what the code printed as logs, then the images it made. */
function codeOutputs(entry: PonderCall, place: RunPlace): Record<string, unknown>[] {
  const outputs: Record<string, unknown>[] = [];
  const output = entry.output as FunctionCallOutputItem;
  const logs = outputText(output.output);
  if (logs !== "") outputs.push({ type: "logs", logs });
  if (typeof output.output !== "string")
    for (const part of output.output) if (part.type === "input_image") outputs.push({ type: "image", url: part.image_url });
  for (const artifact of entry.artifacts)
    if (artifact.media_type.startsWith("image/")) outputs.push({ type: "image", url: `/v1/runs/${place.runId}/artifacts/${artifact.id}` });
  return outputs;
}

function parsedArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    // The model may write arguments that are not JSON: the item still shows them as written.
    return {};
  }
}

function stringField(value: unknown): string {
  return typeof value === "string" ? value : "";
}
