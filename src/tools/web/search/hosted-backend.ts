// `web_search` through the model provider's hosted web search, for users with only a model key:
// each query is one call of the run's model with the provider's own search tool (OpenAI
// Responses `web_search`, Anthropic `web_search_20250305`) and an instruction to search and cite;
// the pages it cites become results (hosted-citations.ts) and their cited passages Ponder sources.
// The call goes straight to the provider package (`doGenerate`): Ponder's ModelClient carries
// only function tools, and a search is one plain call with nobody watching its deltas.
import type { LanguageModelV3, LanguageModelV3ProviderTool } from "@ai-sdk/provider";
import { abortErrorOf, sleep } from "../../../core/abort.js";
import { ModelCallError, ToolInfraError, errorMessage } from "../../../core/errors.js";
import { toModelCallError } from "../../../models/model-call-errors.js";
import { hostedResults } from "./hosted-citations.js";
import { hostedSearchLabels, type HostedSearchSettings } from "./hosted-search-settings.js";
import type { SearchBackend, SearchResult } from "./search-backend.js";
import { retryDelayMs } from "./search-retry.js";
import type { SearchRetrySettings } from "./search-settings.js";

/** Wall time of one hosted search call: the provider searches, reads and writes before it answers. */
export const hostedSearchTimeoutMs = 120_000;

const instructions =
  "You are a web search engine. Search the web for the query, then list the most relevant findings as short " +
  "factual sentences, each citing the page it comes from. Prefer the pages' own words; add nothing the pages do not say.";

export function createHostedBackend(
  settings: HostedSearchSettings,
  options: { retry: SearchRetrySettings; random?: () => number },
): SearchBackend {
  const label = hostedSearchLabels[settings.provider];
  let model: Promise<LanguageModelV3> | undefined;
  return {
    label,
    async search(query, maxResults, signal): Promise<SearchResult[]> {
      model ??= providerModel(settings);
      const callSignal = AbortSignal.any([signal, AbortSignal.timeout(hostedSearchTimeoutMs)]);
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await (
            await model
          ).doGenerate({
            prompt: [
              { role: "system", content: instructions },
              { role: "user", content: [{ type: "text", text: `Query: ${query}\nCite up to ${maxResults} pages.` }] },
            ],
            tools: [searchTool(settings)],
            toolChoice: { type: "auto" },
            maxOutputTokens: 2_000,
            // As for the run's own calls (effort-options.ts): nothing is kept on OpenAI's side.
            ...(settings.provider === "openai" ? { providerOptions: { openai: { store: false } } } : {}),
            abortSignal: callSignal,
          });
          return hostedResults(result.content, maxResults);
        } catch (error) {
          if (signal.aborted) throw abortErrorOf(signal);
          if (callSignal.aborted) throw new ToolInfraError(`${label} gave no answer within ${hostedSearchTimeoutMs / 1000} s.`);
          const failure = toModelCallError(error, {
            provider: settings.provider,
            modelName: settings.modelName,
            baseURL: settings.baseURL,
          });
          const delay =
            failure.retryable && attempt < options.retry.maxAttempts
              ? retryDelayMs(attempt, failure.retryAfterMs, options.retry, options.random)
              : undefined;
          if (delay === undefined) throw new ToolInfraError(`${label} failed: ${messageOf(failure)}`, failure);
          await sleep(delay, signal);
        }
      }
    },
  };
}

function searchTool(settings: HostedSearchSettings): LanguageModelV3ProviderTool {
  return settings.provider === "openai"
    ? { type: "provider", id: "openai.web_search", name: "web_search", args: {} }
    : // A few searches per query: enough to refine it once, bounded in cost.
      { type: "provider", id: "anthropic.web_search_20250305", name: "web_search", args: { maxUses: 3 } };
}

async function providerModel(settings: HostedSearchSettings): Promise<LanguageModelV3> {
  const { apiKey, baseURL, modelName } = settings;
  // Loaded on the first search, like the providers of the models themselves.
  if (settings.provider === "openai") return (await import("@ai-sdk/openai")).createOpenAI({ apiKey, baseURL }).responses(modelName);
  return (await import("@ai-sdk/anthropic")).createAnthropic({ apiKey, baseURL }).messages(modelName);
}

function messageOf(error: unknown): string {
  return error instanceof ModelCallError ? error.message : errorMessage(error);
}
