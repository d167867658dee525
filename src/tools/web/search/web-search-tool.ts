// The `web_search` tool: one query to the configured backend, results numbered and wrapped as
// untrusted text. Its effect follows the backend, decided when the tool is created: `read` for
// the local index (it reads the user's own files and never leaves the machine), `external` for
// the remote services (the policy asks before the query leaves the machine, by default).
//
// No results is an ordinary answer with a hint to rephrase, not an error. The tool is not marked
// idempotent: remote backends already retry rate limits and server errors themselves, and a
// second round of retries by the loop would square them.
import { z } from "zod";
import { sourceIdOf } from "../../sources.js";
import { defineTool, type Tool, type ToolSource } from "../../tool.js";
import { wrapUntrusted } from "../../untrusted-content.js";
import { createSearchBackend } from "./create-search-backend.js";
import type { SearchBackend, SearchResult } from "./search-backend.js";
import type { SearchSettings } from "./search-settings.js";
import { hostedSearchTimeoutMs } from "./hosted-backend.js";

export type WebSearchArgs = { query: string; max_results?: number };

const maxResultsLimit = 20;

const parameters = z.object({
  query: z.string().trim().min(1).max(400).describe("What to search for: a few precise keywords work best."),
  max_results: z.number().int().min(1).max(maxResultsLimit).optional().describe("How many results to return (1-20)."),
});

export function createWebSearchTool(settings: SearchSettings, options: { random?: () => number } = {}): Tool<WebSearchArgs> {
  const backend = createSearchBackend(settings, options.random);
  const local = settings.backend === "local";
  return defineTool({
    name: "web_search",
    description: local
      ? localDescription(settings.maxResults)
      : settings.backend === "hosted"
        ? hostedDescription(backend.label, settings.maxResults)
        : remoteDescription(backend.label, settings.maxResults),
    parameters,
    effects: local ? "read" : "external",
    ...(local ? {} : { timeoutMs: remoteCallBound(settings) }),
    async run(args, context) {
      const results = await backend.search(args.query, args.max_results ?? settings.maxResults, context.signal);
      const sources = results.flatMap((result) => (result.cited ? [citedSource(result, result.cited)] : []));
      return { content: formatResults(args.query, results, backend), ...(sources.length > 0 ? { sources } : {}) };
    },
  });
}

function remoteDescription(label: string, maxResults: number): string {
  return (
    `Search the web (${label}). Returns up to ${maxResults} numbered results by default, each with a title, URL and a short snippet. ` +
    "Use short keyword queries; if the results are poor, search again with different words rather than the same query. " +
    "Snippets are excerpts: read a page itself before relying on its details, and cite pages by their URL."
  );
}

function hostedDescription(label: string, maxResults: number): string {
  return (
    `Search the web (${label}). Returns up to ${maxResults} numbered results by default, each with a title, URL and the ` +
    "passages the search cited from it; cited results carry a source id [src_...] and their passages are recorded, so they " +
    "can be quoted and cited like pages you read. Use short keyword queries; read a page itself for more than its passages."
  );
}

/** A cited result as a source for the citation ledger: its text is the passages the hosted search cited. */
function citedSource(result: SearchResult, cited: string[]): ToolSource {
  return { sourceId: sourceIdOf(result.url), url: result.url, title: result.title, mediaType: "text/plain", text: cited.join("\n\n") };
}

function localDescription(maxResults: number): string {
  return (
    "Search the user's own documents: the folders they added to Ponder's local index (Markdown, HTML, text, PDF). " +
    `This does not search the internet. Returns up to ${maxResults} numbered results by default, each with a title, a ` +
    "file:// URL (with #page=N for a page of a PDF) and the passage that matched. The index matches words and word " +
    "beginnings, not meanings: use the words the documents would use, and try synonyms if nothing is found."
  );
}

/** Long enough for every attempt and wait of the retry policy, so its own message arrives first. */
function remoteCallBound(settings: SearchSettings): number {
  const { maxAttempts, maxRetryAfterMs } = settings.retry;
  const attemptMs = settings.backend === "hosted" ? hostedSearchTimeoutMs : settings.timeoutMs;
  return attemptMs * maxAttempts + maxRetryAfterMs * (maxAttempts - 1) + 5_000;
}

export function formatResults(query: string, results: SearchResult[], backend: SearchBackend): string {
  if (results.length === 0) {
    return `No results for ${JSON.stringify(query)} from ${backend.label}. Rephrase the query: fewer or different words, synonyms, or a broader topic.`;
  }
  const entries = results.map((result, index) =>
    [
      `[${index + 1}] ${result.title}`,
      `URL: ${result.url}`,
      ...(result.cited ? [`Source id: [${sourceIdOf(result.url)}]`] : []),
      ...(result.published ? [`Published: ${result.published}`] : []),
      result.snippet || "(no snippet)",
    ].join("\n"),
  );
  return [
    `${results.length} result${results.length === 1 ? "" : "s"} for ${JSON.stringify(query)} from ${backend.label}:`,
    wrapUntrusted(entries.join("\n\n"), `web_search: ${backend.label}`),
  ].join("\n");
}
