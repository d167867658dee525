// `list_files`: what is in the run's workspace (attachments, files the Python tool wrote), with
// sizes, so the model knows what it can read or load.
import { z } from "zod";
import { ToolError } from "../../core/errors.js";
import { defineTool, type Tool, type ToolContext, type ToolOutput } from "../tool.js";
import { formatBytes } from "../documents/format-size.js";
import { kindOf } from "./entry-kind.js";
import { WorkspaceDirectory } from "./workspace-directory.js";
import { workspaceRelative } from "./workspace-path.js";

export type ListFilesArguments = { path?: string | undefined };

const parameters = z.object({
  path: z.string().optional().describe('A folder in the workspace to list, e.g. "attachments"; the whole workspace when left out.'),
});

/** Bounds the listing so a folder of many thousands of files gives a readable answer. */
const maxEntries = 300;

type Line = { path: string; description: string };

export function createListFilesTool(): Tool<ListFilesArguments> {
  return defineTool({
    name: "list_files",
    description:
      "List the files in the run's workspace (or in one folder of it), with their sizes, including files the " +
      "user attached (in attachments/) and files saved by the python tool. Paths are relative to the workspace, " +
      "which Python sees as /workspace. Read a file with read_file.",
    parameters,
    effects: "read",
    idempotent: true,
    async run(args, context: ToolContext): Promise<ToolOutput> {
      const relative = workspaceRelative(args.path ?? ".");
      const { lines, more } = await WorkspaceDirectory.with(context.workspace, async (workspace) => {
        const { stats } = await workspace.info(relative);
        if (stats.isFile()) {
          throw new ToolError(
            `"${relative}" is a file (${formatBytes(stats.size)}), not a folder. Read it with read_file({"path": "${relative}"}).`,
          );
        }
        const folder = await workspace.directory(relative);
        try {
          const found: Line[] = [];
          return { lines: found, more: await walk(folder, relative === "." ? "" : `${relative}/`, found, context.signal) };
        } finally {
          await folder.close();
        }
      });
      const where = relative === "." ? "The workspace" : `"${relative}"`;
      if (lines.length === 0) {
        const hint =
          relative === "." ? " Files the user attaches appear in attachments/; files the python tool saves appear here too." : "";
        return { content: `${where} is empty.${hint}` };
      }
      const listing = lines.map((line) => `${line.path}  ${line.description}`).join("\n");
      const cut = more > 0 ? `\n… and ${more} more entries, not shown. List a subfolder with list_files({"path": "<folder>"}).` : "";
      return { content: `${where} holds (paths relative to the workspace; /workspace/<path> in Python):\n${listing}${cut}` };
    },
  });
}

/** Depth-first, folders before files, names sorted; returns how many entries did not fit. */
async function walk(directory: WorkspaceDirectory, prefix: string, lines: Line[], signal: AbortSignal): Promise<number> {
  signal.throwIfAborted();
  const entries = (await directory.entries()).sort((left, right) => left.name.localeCompare(right.name));
  const ordered = [...entries.filter((entry) => entry.stats.isDirectory()), ...entries.filter((entry) => !entry.stats.isDirectory())];
  let more = 0;
  for (const { name, stats } of ordered) {
    // Hidden entries are caches and settings (.cache, .config: the python tool's HOME is the
    // workspace), not results; they can still be listed or read by name.
    if (name.startsWith(".")) continue;
    if (lines.length >= maxEntries) {
      more++;
      continue;
    }
    const path = `${prefix}${name}`;
    if (stats.isDirectory()) {
      lines.push({ path: `${path}/`, description: "(folder)" });
      // Gone or replaced since it was listed: the folder is simply not descended into.
      const inner = await directory.directory(name).catch(() => undefined);
      if (inner) more += await walk(inner, `${path}/`, lines, signal).finally(() => inner.close());
    } else if (stats.isFile()) lines.push({ path, description: `(${formatBytes(stats.size)})` });
    else lines.push({ path, description: `(${kindOf(stats)})` });
  }
  return more;
}
