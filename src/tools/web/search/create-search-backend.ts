import { createBraveBackend } from "./brave-backend.js";
import { createExaBackend } from "./exa-backend.js";
import { createHostedBackend } from "./hosted-backend.js";
import { createLocalBackend } from "./local/local-backend.js";
import type { SearchBackend } from "./search-backend.js";
import type { SearchSettings } from "./search-settings.js";
import { createSearxngBackend } from "./searxng-backend.js";
import { createTavilyBackend } from "./tavily-backend.js";

/** The backend the settings name. `random` fixes retry jitter, for tests. */
export function createSearchBackend(settings: SearchSettings, random?: () => number): SearchBackend {
  const remote = { timeoutMs: settings.timeoutMs, retry: settings.retry, ...(random ? { random } : {}) };
  switch (settings.backend) {
    case "local":
      return createLocalBackend(settings.local);
    case "searxng":
      return createSearxngBackend({ ...remote, url: settings.url });
    case "brave":
      return createBraveBackend({ ...remote, url: settings.url, apiKey: settings.apiKey });
    case "tavily":
      return createTavilyBackend({ ...remote, url: settings.url, apiKey: settings.apiKey });
    case "exa":
      return createExaBackend({ ...remote, url: settings.url, apiKey: settings.apiKey });
    case "hosted":
      return createHostedBackend(settings.hosted, remote);
  }
}
