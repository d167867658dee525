// The contract every search backend fulfils: a query in, ranked results out. Backends throw
// ToolError for what the model can change (a query the service rejects) and ToolInfraError for
// what it cannot (a bad key, a rate limit that outlasted the retries, a server that is down).
import type { SearchRequestOptions } from "./search-http.js";

export type SearchResult = {
  title: string;
  /** https:// for web results, file:// for local documents (with #page=N inside PDFs). */
  url: string;
  /** Plain text, no markup: the part of the page that matched, or its description. */
  snippet: string;
  /** When the service knows it: an ISO date or the service's own wording ("2 days ago"). */
  published?: string;
  /**
   * Passages a hosted web search cited from the page (see hosted-citations.ts): recorded as the
   * page's source text, so notes quoting them can be checked like pages read with read_page.
   */
  cited?: string[];
};

export interface SearchBackend {
  /** Shown to the model with the results, e.g. "Brave Search" or "the local document index". */
  readonly label: string;
  search(query: string, maxResults: number, signal: AbortSignal): Promise<SearchResult[]>;
}

/** What a remote backend needs besides its key: the base URL, timeout and retry bounds. */
export type RemoteBackendOptions = Omit<SearchRequestOptions, "signal"> & { url: string };
