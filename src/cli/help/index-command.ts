// Only the help text: `ponder index --help` answers without loading the command.
import { indexedExtensions } from "../../tools/web/search/local/folder-walk.js";

export const indexHelp = `Usage: ponder index <command> [options]

The local search index: full-text search over folders of your documents
(${indexedExtensions.join(" ")}), used by the web_search tool when search.backend is "local" (the default).

Commands:
  add <folder>...        index the documents in these folders; run it again to pick up changes
  update [<folder>...]   re-scan indexed folders (all by default): changed files are indexed again,
                         deleted ones dropped, unchanged ones skipped
  list                   indexed folders and how many documents each holds
  remove <folder>...     drop folders and their documents from the index
  search "<query>"       search the index (--limit <n>, default 10)

Options: --json (machine-readable output), --home <dir> (default PONDER_HOME or ~/.ponder).
The index is kept in <home>/index/.`;
