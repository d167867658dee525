// An MCP `tools/call` result as what the model reads. Text from the server is data from outside,
// so it goes to the model inside `wrapUntrusted` (origin `mcp:<server>`); Ponder's own notes
// (an image left out, a cut) stay outside the block. Images become image parts when the model
// can see them; embedded text resources become text and enter the citation ledger.
import type { CallToolResult, CompatibilityCallToolResult, ContentBlock, EmbeddedResource } from "@modelcontextprotocol/sdk/types.js";
import { ToolError } from "../../core/errors.js";
import type { ContentPart } from "../../core/items.js";
import { sourceIdOf } from "../sources.js";
import type { ToolOutput, ToolSource } from "../tool.js";
import { wrapUntrusted } from "../untrusted-content.js";

/** Text kept from one result; the model is told how much more there was. */
export const maxResultTextCharacters = 50_000;
/** Largest image passed on, decoded; model APIs refuse much larger ones. */
export const maxImageBytes = 5 * 1024 * 1024;
export const maxImagesPerResult = 8;

export type ResultReader = {
  server: string;
  /** The Ponder name of the tool, as the model called it. */
  tool: string;
  model: { id: string; vision: boolean };
};

type Segment = { kind: "untrusted"; text: string } | { kind: "note"; text: string } | { kind: "image"; url: string };

/** What reading a result gathers: segments in the server's order, sources, and images (bounded). */
type Collected = { segments: Segment[]; sources: ToolSource[]; addImage: (data: string, mimeType: string, what: string) => void };

export function mcpCallOutput(result: CallToolResult | CompatibilityCallToolResult, reader: ResultReader): ToolOutput {
  const origin = `mcp:${reader.server}`;
  if (!("content" in result) || !Array.isArray(result.content)) {
    // Servers on the 2024-10-07 protocol answer with `toolResult`.
    return { content: wrapUntrusted(JSON.stringify(result.toolResult ?? result, null, 2), origin) };
  }
  const callResult = result as CallToolResult;
  if (callResult.isError === true) {
    const message =
      callResult.content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n") || "(the server gave no message)";
    throw new ToolError(`The MCP tool "${reader.tool}" reported an error:\n${wrapUntrusted(bounded(message), origin)}`);
  }
  const segments: Segment[] = [];
  const sources: ToolSource[] = [];
  let images = 0;
  const addImage = (data: string, mimeType: string, what: string) => {
    const bytes = Buffer.byteLength(data, "base64");
    if (!reader.model.vision)
      segments.push({
        kind: "note",
        text: `[${what} (${mimeType}, ${bytes} bytes) not shown: the model ${reader.model.id} cannot see images.]`,
      });
    else if (bytes > maxImageBytes)
      segments.push({ kind: "note", text: `[${what} (${mimeType}, ${bytes} bytes) not shown: larger than ${maxImageBytes} bytes.]` });
    else if (images >= maxImagesPerResult)
      segments.push({
        kind: "note",
        text: `[${what} (${mimeType}) not shown: only ${maxImagesPerResult} images are passed on per result.]`,
      });
    else {
      images += 1;
      segments.push({ kind: "image", url: `data:${mimeType};base64,${data}` });
    }
  };
  const collected: Collected = { segments, sources, addImage };
  for (const block of callResult.content) readBlock(block, collected);
  if (callResult.content.length === 0 && callResult.structuredContent !== undefined) {
    segments.push({ kind: "untrusted", text: JSON.stringify(callResult.structuredContent, null, 2) });
  }
  if (segments.length === 0) return { content: "(the tool returned no content)" };
  return { content: render(segments, origin), ...(sources.length > 0 ? { sources } : {}) };
}

function readBlock(block: ContentBlock, collected: Collected): void {
  const { segments, addImage } = collected;
  switch (block.type) {
    case "text":
      segments.push({ kind: "untrusted", text: block.text });
      return;
    case "image":
      addImage(block.data, block.mimeType, "image");
      return;
    case "audio":
      segments.push({ kind: "note", text: `[audio (${block.mimeType}) left out: Ponder does not pass audio to the model.]` });
      return;
    case "resource_link":
      segments.push({
        kind: "untrusted",
        text: `Resource link: ${block.name} <${block.uri}>${block.mimeType ? ` (${block.mimeType})` : ""}${block.description ? `: ${block.description}` : ""}`,
      });
      return;
    case "resource":
      readResource(block.resource, collected);
      return;
  }
}

function readResource(resource: EmbeddedResource["resource"], { segments, sources, addImage }: Collected): void {
  const mimeType = resource.mimeType ?? ("text" in resource ? "text/plain" : "application/octet-stream");
  // Some servers send text documents base64-encoded, as blobs.
  const text = "text" in resource ? resource.text : isTextual(mimeType) ? Buffer.from(resource.blob, "base64").toString("utf8") : undefined;
  if (text !== undefined) {
    segments.push({ kind: "untrusted", text: `Resource <${resource.uri}>:\n${text}` });
    sources.push({ sourceId: sourceIdOf(resource.uri), url: resource.uri, title: resource.uri, mediaType: mimeType, text });
  } else if ("blob" in resource) {
    if (mimeType.startsWith("image/")) addImage(resource.blob, mimeType, `image resource <${resource.uri}>`);
    else
      segments.push({
        kind: "note",
        text: `[binary resource <${resource.uri}> (${mimeType}, ${Buffer.byteLength(resource.blob, "base64")} bytes) not shown.]`,
      });
  }
}

/** One string when there are no images; otherwise text and image parts in the server's order. */
function render(segments: Segment[], origin: string): string | ContentPart[] {
  const parts: ContentPart[] = [];
  let remaining = maxResultTextCharacters;
  let texts: string[] = [];
  let untrusted: string[] = [];
  const closeUntrusted = () => {
    if (untrusted.length === 0) return;
    const joined = untrusted.join("\n");
    const kept = joined.slice(0, Math.max(0, remaining));
    remaining -= kept.length;
    const cut = joined.length - kept.length;
    texts.push(wrapUntrusted(kept, origin) + (cut > 0 ? `\n[Output cut: ${cut} more characters were left out.]` : ""));
    untrusted = [];
  };
  const closeText = () => {
    closeUntrusted();
    if (texts.length > 0) parts.push({ type: "input_text", text: texts.join("\n") });
    texts = [];
  };
  for (const segment of segments) {
    if (segment.kind === "untrusted") untrusted.push(segment.text);
    else if (segment.kind === "note") {
      closeUntrusted();
      texts.push(segment.text);
    } else {
      closeText();
      parts.push({ type: "input_image", image_url: segment.url });
    }
  }
  closeText();
  return parts.some((part) => part.type === "input_image")
    ? parts
    : parts.map((part) => (part.type === "input_image" ? "" : part.text)).join("\n");
}

function isTextual(mimeType: string): boolean {
  return mimeType.startsWith("text/") || /^application\/(?:json|xml|yaml|javascript)$|\+(?:json|xml)$/.test(mimeType);
}

function bounded(text: string): string {
  if (text.length <= maxResultTextCharacters) return text;
  return `${text.slice(0, maxResultTextCharacters)}\n[cut: ${text.length - maxResultTextCharacters} more characters]`;
}
