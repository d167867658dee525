import { ConfigError } from "../../core/errors.js";
import { ponderHome } from "../../config/ponder-home.js";
import { addFolders, listFolders, removeFolders, updateFolders, type FolderReport } from "../../tools/web/search/local/local-index.js";
import { loadIndex } from "../../tools/web/search/local/index-reader.js";
import { searchIndexState } from "../../tools/web/search/local/index-search.js";
import type { ScanProgress } from "../../tools/web/search/local/folder-scan.js";
import { localIndexDirectoryOf } from "../../tools/web/search/search-settings.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { exitCodes } from "../follow-run.js";
import { formatDuration, oneLine, style } from "../format.js";
import { parsePositiveInteger } from "../parse-duration.js";
import { indexHelp } from "../help/index-command.js";

export { indexHelp } from "../help/index-command.js";

/** Where the command writes; tests capture it. `color` styles stdout, `progress` redraws a counter on stderr. */
export type CommandOutput = { stdout: (text: string) => void; stderr: (text: string) => void; color: boolean; progress: boolean };

const processOutput: CommandOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  get color() {
    return process.stdout.isTTY === true;
  },
  get progress() {
    return process.stderr.isTTY === true;
  },
};

export async function indexCommand(args: string[], output: CommandOutput = processOutput): Promise<number> {
  const { values, positionals } = parseCommandLine("index", args, { ...commonOptions, limit: { type: "string" } });
  const [subcommand, ...operands] = positionals;
  if (values.help || subcommand === "help") {
    output.stdout(`${indexHelp}\n`);
    return 0;
  }
  const directory = localIndexDirectoryOf(ponderHome(process.env, values.home));
  const json = values.json === true;
  style.enabled = !json && output.color;
  switch (subcommand) {
    case "add":
    case "update": {
      if (subcommand === "add" && operands.length === 0)
        throw new ConfigError("ponder index add needs a folder.", "Example: ponder index add ./docs");
      const started = Date.now();
      const reports = await withInterrupt((signal) => {
        const options = { signal, onProgress: progressPrinter(output) };
        return subcommand === "add"
          ? addFolders(directory, operands, options)
          : updateFolders(directory, operands.length > 0 ? operands : undefined, options);
      });
      if (reports === "cancelled") {
        output.stderr("\nStopped; the index was left as it was.\n");
        return exitCodes.cancelled;
      }
      if (json) output.stdout(`${JSON.stringify(reports, null, 2)}\n`);
      else if (reports.length === 0) output.stdout("No folders are indexed yet. Add one with: ponder index add <folder>\n");
      else output.stdout(reports.map((report) => describeReport(report, Date.now() - started)).join(""));
      return 0;
    }
    case "remove": {
      if (operands.length === 0)
        throw new ConfigError("ponder index remove needs a folder.", "See the indexed folders with `ponder index list`.");
      const reports = await removeFolders(directory, operands);
      if (json) output.stdout(`${JSON.stringify(reports, null, 2)}\n`);
      else output.stdout(reports.map((report) => `Removed ${report.folder} (${plural(report.removed, "document")}).\n`).join(""));
      return 0;
    }
    case "list": {
      const folders = await listFolders(directory);
      if (json) output.stdout(`${JSON.stringify(folders, null, 2)}\n`);
      else if (folders.length === 0) output.stdout("No folders are indexed. Add one with: ponder index add <folder>\n");
      else {
        for (const folder of folders) {
          const failed = folder.failed > 0 ? style.yellow(`  (${folder.failed} could not be read)`) : "";
          output.stdout(
            `${folder.path}  ${plural(folder.documents, "document")}${failed}  ${style.dim(folder.scannedAt ? `scanned ${folder.scannedAt.replace("T", " ").slice(0, 19)}` : "not scanned yet")}\n`,
          );
        }
      }
      return 0;
    }
    case "search": {
      const query = operands.join(" ").trim();
      if (!query) throw new ConfigError("ponder index search needs a query.", 'Example: ponder index search "retry policy"');
      const limit = values.limit ? parsePositiveInteger(values.limit, "--limit") : 10;
      const state = await loadIndex(directory);
      const hits = searchIndexState(directory, state, query, limit);
      if (json) output.stdout(`${JSON.stringify(hits, null, 2)}\n`);
      else if (state.folders.length === 0) output.stdout("The index is empty. Add a folder with: ponder index add <folder>\n");
      else if (hits.length === 0) output.stdout(`No documents match ${JSON.stringify(query)}.\n`);
      else {
        hits.forEach((hit, index) => {
          output.stdout(`${style.bold(`${index + 1}. ${hit.title}`)}\n   ${style.cyan(hit.url)}\n   ${oneLine(hit.snippet, 300)}\n`);
        });
      }
      return 0;
    }
    case undefined:
      output.stdout(`${indexHelp}\n`);
      return exitCodes.usage;
    default:
      throw new ConfigError(
        `Unknown index command "${subcommand}".`,
        "Use add, update, list, remove or search; see `ponder index --help`.",
      );
  }
}

function describeReport(report: FolderReport, elapsedMs: number): string {
  const counts = `${report.added} new, ${report.changed} changed, ${report.unchanged} unchanged, ${report.removed} removed`;
  const notes = [
    report.partOf ? `part of the indexed folder ${report.partOf}` : undefined,
    report.absorbed ? `takes in ${report.absorbed.join(", ")}` : undefined,
  ].filter(Boolean);
  const lines = [`${report.folder}: ${counts}${notes.length > 0 ? ` (${notes.join("; ")})` : ""} in ${formatDuration(elapsedMs)}`];
  const shown = report.failed.slice(0, 10);
  for (const failure of shown) lines.push(style.yellow(`  could not index ${failure.path}: ${failure.reason}`));
  if (report.failed.length > shown.length)
    lines.push(style.yellow(`  … and ${report.failed.length - shown.length} more that could not be indexed`));
  return `${lines.join("\n")}\n`;
}

function progressPrinter(output: CommandOutput): ((progress: ScanProgress) => void) | undefined {
  if (!output.progress) return undefined;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    // A redraw per file would cost more than indexing a small file.
    if (progress.done !== progress.total && now - last < 100) return;
    last = now;
    output.stderr(
      `\r\x1b[2Kindexing ${progress.folder}: ${progress.done}/${progress.total}${progress.done === progress.total ? "\n" : ""}`,
    );
  };
}

/** Runs `work` with a signal that Ctrl-C aborts; "cancelled" when it did. */
async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T | "cancelled"> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once("SIGINT", onInterrupt);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return "cancelled";
    throw error;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
