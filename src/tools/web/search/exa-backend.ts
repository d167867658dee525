// Exa: `POST {url}/search` with the key in the x-api-key header and a JSON body
// ({ query, numResults, type, contents }); results are in `results` (title, url, publishedDate,
// and the contents asked for: highlights here, with text or summary as fallbacks).
import type { RemoteBackendOptions, SearchBackend, SearchResult } from "./search-backend.js";
import { requestSearchJson } from "./search-http.js";
import { keepResults, recordOf, recordsOf, resultOf, stringsOf } from "./remote-results.js";

const maxCount = 20;

export function createExaBackend(options: RemoteBackendOptions & { apiKey: string }): SearchBackend {
  return {
    label: "Exa",
    async search(query, maxResults, signal): Promise<SearchResult[]> {
      const json = recordOf(
        await requestSearchJson(
          {
            service: "Exa",
            url: `${options.url}/search`,
            method: "POST",
            headers: { "x-api-key": options.apiKey },
            body: {
              query,
              numResults: Math.min(maxResults, maxCount),
              type: "auto",
              contents: { highlights: { numSentences: 3, highlightsPerUrl: 2 } },
            },
            refusedHint: "check the Exa API key (EXA_API_KEY or search.exa.apiKey)",
          },
          { ...options, signal },
        ),
      );
      return keepResults(
        recordsOf(json.results).map((entry) => {
          const highlights = stringsOf(entry.highlights).join(" … ");
          return resultOf({
            title: entry.title,
            url: entry.url,
            snippet: highlights || entry.summary || entry.text,
            published: entry.publishedDate,
          });
        }),
        maxResults,
      );
    },
  };
}
