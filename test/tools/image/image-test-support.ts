// Shared by the image tools' tests: a throwaway workspace with a real test picture made by sharp,
// a tool context, and helpers that call a tool the way the loop does (arguments through its
// schema) and decode what it returned.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import sharp from "sharp";
import type { ContentPart } from "../../../src/core/items.js";
import { RunResources } from "../../../src/tools/run-resources.js";
import type { AnyTool, ToolContext, ToolOutput } from "../../../src/tools/tool.js";
import { defaultSandboxSettings } from "../../../src/tools/tool.js";

export const quadrantColours = {
  topLeft: { r: 255, g: 0, b: 0 },
  topRight: { r: 0, g: 255, b: 0 },
  bottomLeft: { r: 0, g: 0, b: 255 },
  bottomRight: { r: 255, g: 255, b: 0 },
};

/**
 * A 400x300 PNG: red, green, blue and yellow quadrants, a black disc in the bottom-right
 * quadrant (centre 300,225, radius 30) and black text in the top-left one.
 */
export async function quadrantImage(width = 400, height = 300): Promise<Buffer> {
  const halfWidth = width / 2;
  const halfHeight = height / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect x="0" y="0" width="${halfWidth}" height="${halfHeight}" fill="#ff0000"/>
    <rect x="${halfWidth}" y="0" width="${halfWidth}" height="${halfHeight}" fill="#00ff00"/>
    <rect x="0" y="${halfHeight}" width="${halfWidth}" height="${halfHeight}" fill="#0000ff"/>
    <rect x="${halfWidth}" y="${halfHeight}" width="${halfWidth}" height="${halfHeight}" fill="#ffff00"/>
    <circle cx="${width * 0.75}" cy="${height * 0.75}" r="${Math.round(height / 10)}" fill="#000000"/>
    <text x="20" y="60" font-family="DejaVu Sans" font-size="28" fill="#000000">PONDER 42</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export type TestWorkspace = { context: ToolContext; workspace: string; dispose: () => Promise<void> };

/** A fresh workspace holding attachments/quadrants.png, and a context for a vision model. */
export async function imageWorkspace(overrides: Partial<ToolContext> = {}): Promise<TestWorkspace> {
  const workspace = await mkdtemp(join(tmpdir(), "ponder-image-test-"));
  await putFile(workspace, "attachments/quadrants.png", await quadrantImage());
  const resources = new RunResources();
  const context: ToolContext = {
    model: { id: "openai:gpt-4o", vision: true },
    signal: new AbortController().signal,
    runId: "run-test",
    callId: "call-test",
    workspace,
    resources,
    sandbox: defaultSandboxSettings,
    ...overrides,
  };
  return {
    context,
    workspace,
    dispose: async () => {
      await resources.closeAll();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

export async function putFile(workspace: string, path: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(join(workspace, path)), { recursive: true });
  await writeFile(join(workspace, path), data);
}

/** Calls a tool as the loop does: the arguments go through the tool's schema first. */
export function call(tool: AnyTool, args: unknown, context: ToolContext): Promise<ToolOutput> {
  return tool.run(tool.parameters.parse(args), context);
}

/** The text part and the decoded image part of a result. */
export async function resultImage(output: ToolOutput) {
  assert(Array.isArray(output.content), `expected text and an image, got: ${String(output.content)}`);
  const parts = output.content as ContentPart[];
  const text = parts.find((part) => part.type === "input_text");
  const image = parts.find((part) => part.type === "input_image");
  assert(text && "text" in text && image && "image_url" in image, "a text part and an image part");
  const match = /^data:(image\/[a-z]+);base64,(.+)$/.exec(image.image_url);
  assert(match, "the image is a base64 data URL");
  const data = Buffer.from(match[2] ?? "", "base64");
  const metadata = await sharp(data).metadata();
  return { text: text.text, mediaType: match[1], data, width: metadata.width, height: metadata.height, format: metadata.format };
}

/** The colour of one pixel of an encoded image. */
export async function pixelAt(data: Buffer, x: number, y: number): Promise<{ r: number; g: number; b: number }> {
  const { data: pixels, info } = await sharp(data).removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return { r: pixels[offset] ?? -1, g: pixels[offset + 1] ?? -1, b: pixels[offset + 2] ?? -1 };
}

/** True when two colours differ by at most `tolerance` in every channel (resampling blurs a little). */
export function near(actual: { r: number; g: number; b: number }, expected: { r: number; g: number; b: number }, tolerance = 12): boolean {
  return (
    Math.abs(actual.r - expected.r) <= tolerance &&
    Math.abs(actual.g - expected.g) <= tolerance &&
    Math.abs(actual.b - expected.b) <= tolerance
  );
}
