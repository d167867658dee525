// When `web_search` uses the model provider's own hosted search: no search backend is
// configured (neither PONDER_SEARCH_BACKEND nor the config's search.backend) and the run's model
// is OpenAI's (Responses API) or Anthropic's, whose key then pays for the searches too.
import type { ProviderSettings } from "../../../models/provider-settings.js";
import { defaultBaseURLs } from "../../../models/provider-settings.js";
import type { SearchConfig } from "./search-settings.js";

export type HostedSearchProvider = "openai" | "anthropic";

export type HostedSearchSettings = {
  provider: HostedSearchProvider;
  /** The run's model, which runs the searches: hosted search is a tool of a model call. */
  modelName: string;
  apiKey: string;
  baseURL: string;
};

export const hostedSearchLabels: Record<HostedSearchProvider, string> = {
  openai: "OpenAI's hosted web search",
  anthropic: "Anthropic's hosted web search",
};

/** True when the user chose a backend (the local index included), which then wins over hosted search. */
export function searchBackendChosen(config: SearchConfig | undefined, env: Record<string, string | undefined>): boolean {
  return env.PONDER_SEARCH_BACKEND !== undefined || config?.backend !== undefined;
}

/** The hosted search a run of `modelId` can use, or undefined (another provider, no key, or OpenAI over Chat Completions). */
export function hostedSearchFor(
  modelId: string | undefined,
  providers: Pick<ProviderSettings, "openai" | "anthropic"> | undefined,
): HostedSearchSettings | undefined {
  const colon = modelId?.indexOf(":") ?? -1;
  if (modelId === undefined || colon <= 0) return undefined;
  const provider = modelId.slice(0, colon);
  const modelName = modelId.slice(colon + 1);
  if (provider === "openai") {
    const openai = providers?.openai;
    // A Chat Completions setup often points at a server that has no Responses API.
    if (!openai?.apiKey || openai.api === "chat") return undefined;
    return { provider, modelName, apiKey: openai.apiKey, baseURL: openai.baseURL ?? defaultBaseURLs.openai };
  }
  if (provider === "anthropic") {
    const anthropic = providers?.anthropic;
    if (!anthropic?.apiKey) return undefined;
    return { provider, modelName, apiKey: anthropic.apiKey, baseURL: anthropic.baseURL ?? defaultBaseURLs.anthropic };
  }
  return undefined;
}
