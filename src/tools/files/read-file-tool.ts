// `read_file`: read a document in the run's workspace (an attachment, a file the python tool
// wrote) as text, one page at a time, like read_page does for the web.
import type { Stats } from "node:fs";
import { z } from "zod";
import { ToolError } from "../../core/errors.js";
import { defineTool, type Tool, type ToolContext, type ToolOutput } from "../tool.js";
import { DocumentCache, type CachedDocument } from "../documents/document-cache.js";
import { renderPage, sourceOf, type CallExample } from "../documents/document-view.js";
import { extractText, mediaTypeOfPath } from "../documents/extract-text.js";
import { formatBytes, formatCount } from "../documents/format-size.js";
import { documentKindOf, sniffMediaType } from "../documents/media-type.js";
import { defaultPageCharacters, splitIntoPages } from "../documents/paged-text.js";
import { WorkspaceAccessError } from "./workspace-access-error.js";
import { WorkspaceDirectory } from "./workspace-directory.js";
import { workspaceRelative } from "./workspace-path.js";
import type { ReadFileSettings } from "./read-file-settings.js";

export type ReadFileArguments = { path: string; page?: number | undefined };

/** The RunResources key of the run's cache of extracted workspace files. */
export const fileCacheResource = "workspace-file-cache";

const parameters = z.object({
  path: z.string().min(1).describe("Path of the file, relative to the workspace, e.g. attachments/report.pdf."),
  page: z.number().int().min(1).optional().describe("Which page of the extracted text to read; 1 (the default) is the start."),
});

export function createReadFileTool(settings: ReadFileSettings = {}): Tool<ReadFileArguments> {
  const pageCharacters = settings.pageCharacters ?? defaultPageCharacters;
  const maxBytes = settings.maxBytes ?? 50 * 1024 * 1024;
  return defineTool({
    name: "read_file",
    description:
      "Read a file in the run's workspace as text: attachments the user gave (attachments/...) and files saved by " +
      "the python tool. Reads PDF (with page numbers), Markdown, plain text, HTML (as Markdown), JSON, CSV and other " +
      `text files. Long files come in pages of about ${pageCharacters.toLocaleString("en-US")} characters: the result says "page 1 of N" ` +
      "and how to ask for the next one with `page`. For analysing a large CSV or JSON, load it in the python tool " +
      "instead (pd.read_csv('/workspace/<path>')). See what is there with list_files.",
    parameters,
    effects: "read",
    idempotent: true,
    async run(args, context: ToolContext): Promise<ToolOutput> {
      const relative = workspaceRelative(args.path);
      const entry = await WorkspaceDirectory.with(context.workspace, (workspace) =>
        loadFile(workspace, relative, maxBytes, pageCharacters, context),
      ).catch((error: unknown) => {
        throw withHint(error, relative);
      });
      const pages = splitIntoPages(entry.document.text, pageCharacters);
      const pageNumber = args.page ?? 1;
      if (pageNumber > pages.length) {
        throw new ToolError(
          `"${relative}" has only ${pages.length} page${pages.length === 1 ? "" : "s"} of text; ask for a page from 1 to ${pages.length}.`,
        );
      }
      const call: CallExample = (name, extra) => `${name}(${JSON.stringify({ path: relative, ...extra })})`;
      return { content: renderPage(entry, pages, pageNumber, call, { read: "read_file" }), sources: [sourceOf(entry)] };
    },
  });
}

/** The extracted document, from the cache while the file's size and modification time are unchanged. */
async function loadFile(
  workspace: WorkspaceDirectory,
  relative: string,
  maxBytes: number,
  pageCharacters: number,
  context: ToolContext,
): Promise<CachedDocument> {
  const cache = await context.resources.get(fileCacheResource, () => new DocumentCache());
  const { stats } = await workspace.info(relative);
  const cached = cache.get(relative);
  if (stats.isFile() && cached?.version === versionOf(stats)) return cached;

  const byExtension = mediaTypeOfPath(relative);
  const pythonPath = `/workspace/${relative}`;
  if (stats.isFile() && stats.size > maxBytes) throw tooLarge(relative, stats.size, maxBytes, byExtension);
  // Read through the descriptor walk: what is read is what it found, whatever changes meanwhile.
  const file = await workspace.readFile(relative, { maxBytes, signal: context.signal }).catch((error: unknown) => {
    if (error instanceof WorkspaceAccessError && error.reason === "too-large")
      throw tooLarge(relative, maxBytes + 1, maxBytes, byExtension);
    throw error;
  });
  const bytes = file.bytes;
  const size = bytes.length;
  const sniffed = sniffMediaType(bytes);
  // A file's content beats its name when they disagree about being a PDF or an image.
  const mediaType = sniffed && sniffed !== "text/plain" && sniffed !== "text/html" ? sniffed : (byExtension ?? sniffed);
  const kind = mediaType ? documentKindOf(mediaType) : "binary";
  if (!mediaType || kind === "image" || kind === "binary") {
    const what = kind === "image" && mediaType ? `an image (${mediaType}, ${formatBytes(size)})` : `a binary file (${formatBytes(size)})`;
    const hint =
      kind === "image" ? "To look at it, use an image tool if this run has one." : `The python tool can open it as ${pythonPath}.`;
    throw new ToolError(`"${relative}" is ${what}, not a text document, so read_file cannot read it. ${hint}`);
  }
  const url = `file://${pythonPath}`;
  const document = await extractText(bytes, mediaType, { url, signal: context.signal });
  const notes: string[] = [];
  if (mediaType === "text/csv" && document.text.length > pageCharacters) {
    const rows = document.text.split("\n").filter((line) => line.trim() !== "").length;
    notes.push(
      `this CSV has about ${formatCount(rows)} lines (${formatBytes(size)}), more than one page. To analyse it, load it in the python tool: pd.read_csv('${pythonPath}').`,
    );
  }
  const entry: CachedDocument = { url, mediaType, document, notes, version: versionOf(file.stats) };
  cache.set(relative, entry);
  return entry;
}

function versionOf(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}`;
}

function tooLarge(relative: string, size: number, maxBytes: number, byExtension: string | undefined): ToolError {
  const pythonPath = `/workspace/${relative}`;
  return new ToolError(
    `"${relative}" is ${formatBytes(size)}, more than read_file reads (${formatBytes(maxBytes)}). ` +
      `Work with it in the python tool instead, where it is ${pythonPath}` +
      (byExtension === "text/csv" ? ` (e.g. pd.read_csv('${pythonPath}')).` : "."),
  );
}

/** The walk's refusals, with what the model can do next. */
function withHint(error: unknown, relative: string): unknown {
  if (!(error instanceof WorkspaceAccessError)) return error;
  if (error.reason === "missing") return new ToolError(`${error.message} Call list_files to see what is there.`);
  if (error.reason === "folder")
    return new ToolError(
      `"${relative}" is a folder, not a file. See what it holds with list_files(${JSON.stringify({ path: relative })}).`,
    );
  return error;
}
