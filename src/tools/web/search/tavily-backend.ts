// Tavily: `POST {url}/search` with `Authorization: Bearer <key>` and a JSON body
// ({ query, max_results, search_depth, ... }); results are in `results` (title, url, content,
// score, published_date). Plan and credit limits come back as HTTP 432 and 433.
import type { RemoteBackendOptions, SearchBackend, SearchResult } from "./search-backend.js";
import { requestSearchJson } from "./search-http.js";
import { keepResults, recordOf, recordsOf, resultOf } from "./remote-results.js";

const maxCount = 20;

export function createTavilyBackend(options: RemoteBackendOptions & { apiKey: string }): SearchBackend {
  return {
    label: "Tavily",
    async search(query, maxResults, signal): Promise<SearchResult[]> {
      const json = recordOf(
        await requestSearchJson(
          {
            service: "Tavily",
            url: `${options.url}/search`,
            method: "POST",
            headers: { authorization: `Bearer ${options.apiKey}` },
            body: {
              query,
              max_results: Math.min(maxResults, maxCount),
              search_depth: "basic",
              include_answer: false,
              include_raw_content: false,
              include_images: false,
            },
            refusedHint: "check the Tavily API key (TAVILY_API_KEY or search.tavily.apiKey)",
          },
          { ...options, signal },
        ),
      );
      return keepResults(
        recordsOf(json.results).map((entry) =>
          resultOf({ title: entry.title, url: entry.url, snippet: entry.content, published: entry.published_date }),
        ),
        maxResults,
      );
    },
  };
}
