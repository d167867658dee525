// Which search backend `web_search` uses, and how to reach it. The config file's `search` field
// (searchConfigSchema) and the environment resolve to SearchSettings; the local index needs no
// key and is the default, so a fresh install can search the user's own documents.
import { join } from "node:path";
import { z } from "zod";
import { ConfigError } from "../../../core/errors.js";
import type { HostedSearchSettings } from "./hosted-search-settings.js";

export const searchBackends = ["local", "searxng", "brave", "tavily", "exa"] as const;
export type SearchBackendName = (typeof searchBackends)[number];

const remoteSchema = z
  .object({
    /** Base URL of the API; overridable for self-hosted proxies and tests. */
    url: z.url().optional(),
    apiKey: z.string().min(1).optional(),
  })
  .strict();

/** The config file's `search` field. */
export const searchConfigSchema = z
  .object({
    backend: z.enum(searchBackends).optional(),
    /** Results per search when the model does not ask for a number (1-20, default 5). */
    maxResults: z.number().int().min(1).max(20).optional(),
    /** Wall time of one request to a remote backend (default 15 s). */
    timeoutMs: z.number().int().positive().optional(),
    local: z
      .object({
        /** Re-scan the indexed folders before a search when the last scan is older than this (default 60 s; 0 = always). */
        refreshAfterMs: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    searxng: z.object({ url: z.url() }).strict().optional(),
    brave: remoteSchema.optional(),
    tavily: remoteSchema.optional(),
    exa: remoteSchema.optional(),
  })
  .strict();

export type SearchConfig = z.infer<typeof searchConfigSchema>;

/** Bounds on retrying rate limits (429) and server errors (5xx) of remote backends. */
export type SearchRetrySettings = {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the rate limit is reported instead. */
  maxRetryAfterMs: number;
};

export const defaultSearchRetry: Readonly<SearchRetrySettings> = {
  maxAttempts: 3,
  initialDelayMs: 500,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
};

export type LocalSearchSettings = {
  /** Where the index lives: `<home>/index`. */
  directory: string;
  refreshAfterMs: number;
};

type RemoteSettings<Backend extends string> = { backend: Backend; url: string; apiKey: string };

export type SearchSettings = {
  maxResults: number;
  timeoutMs: number;
  retry: SearchRetrySettings;
} & (
  | { backend: "local"; local: LocalSearchSettings }
  | { backend: "searxng"; url: string }
  | RemoteSettings<"brave">
  | RemoteSettings<"tavily">
  | RemoteSettings<"exa">
  // Never named in the config: chosen when none is (see hosted-search-settings.ts).
  | { backend: "hosted"; hosted: HostedSearchSettings }
);

export const defaultBaseUrls = {
  brave: "https://api.search.brave.com",
  tavily: "https://api.tavily.com",
  exa: "https://api.exa.ai",
} as const;

/** The environment variable that holds each keyed backend's API key. */
export const apiKeyVariables = { brave: "BRAVE_API_KEY", tavily: "TAVILY_API_KEY", exa: "EXA_API_KEY" } as const;

export const defaultLocalRefreshAfterMs = 60_000;

export function localIndexDirectoryOf(home: string): string {
  return join(home, "index");
}

/**
 * Settings from, in order of precedence: the environment (PONDER_SEARCH_BACKEND, SEARXNG_URL,
 * BRAVE_API_KEY, TAVILY_API_KEY, EXA_API_KEY), the config file's `search` field, defaults.
 * A chosen backend that lacks its URL or key is a ConfigError naming what to set.
 */
export function searchSettingsFrom(
  config: SearchConfig | undefined,
  env: Record<string, string | undefined>,
  home: string,
): SearchSettings {
  const backendText = env.PONDER_SEARCH_BACKEND ?? config?.backend ?? "local";
  if (!(searchBackends as readonly string[]).includes(backendText)) {
    throw new ConfigError(`Unknown search backend "${backendText}".`, `Use one of: ${searchBackends.join(", ")}.`);
  }
  const backend = backendText as SearchBackendName;
  const common = {
    maxResults: config?.maxResults ?? 5,
    timeoutMs: config?.timeoutMs ?? 15_000,
    retry: { ...defaultSearchRetry },
  };
  switch (backend) {
    case "local":
      return {
        ...common,
        backend,
        local: { directory: localIndexDirectoryOf(home), refreshAfterMs: config?.local?.refreshAfterMs ?? defaultLocalRefreshAfterMs },
      };
    case "searxng": {
      const url = env.SEARXNG_URL ?? config?.searxng?.url;
      if (!url)
        throw new ConfigError(
          "The searxng search backend needs the URL of a SearXNG server.",
          "Set SEARXNG_URL or search.searxng.url (e.g. http://127.0.0.1:8888).",
        );
      return { ...common, backend, url: checkedUrl(url, "SEARXNG_URL") };
    }
    default: {
      const variable = apiKeyVariables[backend];
      const apiKey = env[variable] ?? config?.[backend]?.apiKey;
      if (!apiKey) throw new ConfigError(`The ${backend} search backend needs an API key.`, `Set ${variable} or search.${backend}.apiKey.`);
      return { ...common, backend, apiKey, url: checkedUrl(config?.[backend]?.url ?? defaultBaseUrls[backend], `search.${backend}.url`) };
    }
  }
}

function checkedUrl(url: string, name: string): string {
  if (!URL.canParse(url)) throw new ConfigError(`${name} is not a URL: "${url}".`, "Give a full URL such as http://127.0.0.1:8888.");
  return url.replace(/\/+$/, "");
}
