// Saves the report as artifacts of the research's parent run: report.md, report.html (images
// inline) and the chart images beside them, each recorded as an `artifact` item. The files are
// written into the parent's workspace through held descriptors (for Python to open) and kept,
// from the bytes made here, as the artifacts' copies (see tools/files/kept-artifacts.ts).
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { basename, join } from "node:path";
import { runWorkspaceOf } from "../../config/ponder-home.js";
import { newId } from "../../core/ids.js";
import type { ArtifactItem } from "../../core/items.js";
import type { RunStore } from "../../store/run-store.js";
import { isKeptArtifactPath, keepBytes } from "../../tools/files/kept-artifacts.js";
import { WorkspaceDirectory } from "../../tools/files/workspace-directory.js";
import { reportHtml, type InlineImages } from "./report-html.js";

export type SavedReport = { markdownPath: string; htmlPath: string; artifacts: ArtifactItem[] };

export async function saveReport(
  store: RunStore,
  runId: string,
  home: string,
  markdown: string,
  title: string,
  images: readonly ArtifactItem[],
): Promise<SavedReport> {
  const workspace = runWorkspaceOf(home, runId);
  const inline = new Map<string, { mediaType: string; bytes: Uint8Array }>();
  const artifacts: ArtifactItem[] = [];
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const image of images) {
    const name = basename(image.path);
    // Only images the report shows are kept; a chart the writer discarded is not the user's.
    // Only kept copies are read: a writer's workspace is the sandbox's to change.
    if (!markdown.includes(`](${name})`) || !isKeptArtifactPath(home, image.path)) continue;
    const bytes = await readKeptCopy(image.path);
    if (!bytes) continue;
    inline.set(name, { mediaType: image.media_type, bytes });
    files.push({ name, bytes });
    artifacts.push({ ...image, id: newId("art") });
  }
  const report = [
    { name: "report.md", mediaType: "text/markdown", bytes: Buffer.from(markdown) },
    { name: "report.html", mediaType: "text/html", bytes: Buffer.from(reportHtml(markdown, title, inline as InlineImages)) },
  ];
  files.push(...report);
  await WorkspaceDirectory.with(
    workspace,
    async (directory) => {
      for (const file of files) await directory.writeFile(file.name, file.bytes, { exclusive: false });
    },
    { create: true },
  );
  for (const file of report) {
    const path = await keepBytes(workspace, file.name, file.bytes);
    artifacts.push({ type: "artifact", id: newId("art"), name: file.name, path, media_type: file.mediaType, bytes: file.bytes.length });
  }
  await store.appendItems(runId, 1, artifacts);
  return { markdownPath: join(workspace, "report.md"), htmlPath: join(workspace, "report.html"), artifacts };
}

async function readKeptCopy(path: string): Promise<Uint8Array | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined); // No kept copy: the report goes without it.
  if (!handle) return undefined;
  try {
    return (await handle.stat()).isFile() ? await handle.readFile() : undefined;
  } finally {
    await handle.close();
  }
}
