// Saves the report as artifacts of the research's parent run: report.md, report.html (images
// inline) and the chart images beside them, each recorded as an `artifact` item.
import { copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { newId } from "../../core/ids.js";
import type { ArtifactItem } from "../../core/items.js";
import type { RunStore } from "../../store/run-store.js";
import { reportHtml, type InlineImages } from "./report-html.js";

export type SavedReport = { markdownPath: string; htmlPath: string; artifacts: ArtifactItem[] };

export async function saveReport(store: RunStore, runId: string, directory: string, markdown: string, title: string, images: readonly ArtifactItem[]): Promise<SavedReport> {
  await mkdir(directory, { recursive: true });
  const inline = new Map<string, { mediaType: string; bytes: Uint8Array }>();
  const artifacts: ArtifactItem[] = [];
  for (const image of images) {
    const name = basename(image.path);
    // Only images the report shows are kept; a chart the writer discarded is not the user's.
    if (!markdown.includes(`](${name})`)) continue;
    const target = join(directory, name);
    await copyFile(image.path, target);
    inline.set(name, { mediaType: image.media_type, bytes: await readFile(target) });
    artifacts.push({ ...image, id: newId("art"), path: target });
  }
  const markdownPath = join(directory, "report.md");
  const htmlPath = join(directory, "report.html");
  await writeFile(markdownPath, markdown);
  await writeFile(htmlPath, reportHtml(markdown, title, inline as InlineImages));
  for (const [path, mediaType] of [[markdownPath, "text/markdown"], [htmlPath, "text/html"]] as const) {
    artifacts.push({ type: "artifact", id: newId("art"), name: basename(path), path, media_type: mediaType, bytes: (await stat(path)).size });
  }
  await store.appendItems(runId, 1, artifacts);
  return { markdownPath, htmlPath, artifacts };
}
