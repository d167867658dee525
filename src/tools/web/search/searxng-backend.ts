// SearXNG, the self-hosted metasearch engine: `GET {url}/search?q=...&format=json`. The JSON
// format must be enabled on the server (settings.yml, search.formats); without it SearXNG
// answers 403.
import { ToolInfraError } from "../../../core/errors.js";
import type { RemoteBackendOptions, SearchBackend, SearchResult } from "./search-backend.js";
import { requestSearchJson } from "./search-http.js";
import { keepResults, recordOf, recordsOf, resultOf } from "./remote-results.js";

export function createSearxngBackend(options: RemoteBackendOptions): SearchBackend {
  const service = "SearXNG";
  return {
    label: `SearXNG (${new URL(options.url).host})`,
    async search(query, maxResults, signal): Promise<SearchResult[]> {
      const url = `${options.url}/search?${new URLSearchParams({ q: query, format: "json" })}`;
      const json = recordOf(
        await requestSearchJson(
          {
            service,
            url,
            method: "GET",
            refusedHint: "enable JSON output on the SearXNG server (add json to search.formats in its settings.yml)",
          },
          { ...options, signal },
        ),
      );
      const results = keepResults(
        recordsOf(json.results).map((entry) =>
          resultOf({ title: entry.title, url: entry.url, snippet: entry.content, published: entry.publishedDate }),
        ),
        maxResults,
      );
      if (results.length === 0) {
        // Every engine behind SearXNG failing (blocked, timed out) looks like "no results" otherwise.
        const failed = unresponsiveEngines(json.unresponsive_engines);
        if (failed.length > 0) throw new ToolInfraError(`SearXNG found nothing because its engines did not answer (${failed.join("; ")}).`);
      }
      return results;
    },
  };
}

/** SearXNG lists failed engines as [name, reason] pairs. */
function unresponsiveEngines(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((entry) => (Array.isArray(entry) ? entry.filter((part) => typeof part === "string").join(": ") : String(entry)))
    .slice(0, 5);
}
