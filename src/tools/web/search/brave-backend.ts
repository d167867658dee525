// Brave Search API: `GET {url}/res/v1/web/search?q=...&count=N` with the key in the
// X-Subscription-Token header; results are in `web.results` (title, url, description with
// <strong> around matches, extra_snippets, age / page_age).
import type { RemoteBackendOptions, SearchBackend, SearchResult } from "./search-backend.js";
import { requestSearchJson } from "./search-http.js";
import { keepResults, recordOf, recordsOf, resultOf, stringsOf } from "./remote-results.js";

/** Brave returns at most 20 results per request. */
const maxCount = 20;

export function createBraveBackend(options: RemoteBackendOptions & { apiKey: string }): SearchBackend {
  return {
    label: "Brave Search",
    async search(query, maxResults, signal): Promise<SearchResult[]> {
      const url = `${options.url}/res/v1/web/search?${new URLSearchParams({ q: query, count: String(Math.min(maxResults, maxCount)) })}`;
      const json = recordOf(
        await requestSearchJson(
          {
            service: "Brave Search",
            url,
            method: "GET",
            headers: { "x-subscription-token": options.apiKey },
            refusedHint: "check the Brave Search API key (BRAVE_API_KEY or search.brave.apiKey)",
          },
          { ...options, signal },
        ),
      );
      return keepResults(
        recordsOf(recordOf(json.web).results).map((entry) =>
          resultOf({
            title: entry.title,
            url: entry.url,
            snippet: [entry.description, ...stringsOf(entry.extra_snippets).slice(0, 1)]
              .filter((part) => typeof part === "string")
              .join(" … "),
            published: entry.page_age ?? entry.age,
          }),
        ),
        maxResults,
      );
    },
  };
}
