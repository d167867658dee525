// What the fake providers' hosted web search finds and cites, and how a test tells a hosted
// search request (one carrying the provider's own search tool) from the run's model requests.
import type { RequestBody } from "./fake-openai-server.js";
import type { FakeWebSearch } from "./fake-turn.js";

export const heatPumps = "https://energy.example/heat-pumps-in-the-cold";
export const review = "https://review.example/field-study";
export const quote = "At -25 °C the tested units still delivered a coefficient of performance of 1.9";

/** The hosted search a fake provider runs for `query`: two pages found, one cited. */
export function hostedSearch(query: string): FakeWebSearch {
  return {
    query,
    results: [
      { url: heatPumps, title: "Heat pumps in the cold", pageAge: "March 2025" },
      { url: review, title: "A field study" },
    ],
    cited: [{ text: "Cold-climate heat pumps keep working well below freezing.", url: heatPumps, title: "Heat pumps in the cold", quote }],
  };
}

/** The provider's own search tool in a request, if any: OpenAI `{type: "web_search"}`, Anthropic `web_search_20250305`. */
export function hostedTool(body: RequestBody): Record<string, unknown> | undefined {
  return (body.tools as Record<string, unknown>[] | undefined)?.find(
    (tool) => tool.type === "web_search" || String(tool.type).startsWith("web_search_2"),
  );
}
