// The tools readers get: search and the page readers, wrapped so that the whole research
// fetches a page once (one page cache for every reader) and an identical query is not sent
// twice (the earlier results are returned instead, and a reader repeating itself is told to stop).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, ToolError } from "../../core/errors.js";
import type { BuiltinToolSettings } from "../../config/resolve-settings.js";
import { RunResources, type RunResource } from "../../tools/run-resources.js";
import type { AnyTool, ToolOutput } from "../../tools/tool.js";
import { createPageReadingTools, pageCacheResource, type LocalDocumentOpener } from "../../tools/web/read/index.js";
import {
  createWebSearchTool,
  hostedSearchFor,
  hostedSearchLabels,
  readIndexedDocument,
  searchBackendChosen,
  searchSettingsFrom,
  type SearchSettings,
} from "../../tools/web/search/index.js";

export type ResearchSources = "web" | "local" | "both";

/** Repeats of one query by one reader after which the reader is told to stop searching it. */
const repeatsTolerated = 1;

export type ResearchToolChoice = {
  tools: AnyTool[];
  /** What the readers search, in words: "OpenAI's hosted web search", "the local document index". */
  searched: string[];
};

/**
 * The search and reading tools for `sources`: the configured web backend (or, when none is
 * chosen, the hosted web search of `modelId`'s provider), the local index, or both. Refuses, with
 * the fix, when the sources asked for cannot answer.
 */
export function researchTools(sources: ResearchSources, settings: BuiltinToolSettings, modelId?: string): ResearchToolChoice {
  const configured = searchSettingsFrom(settings.search, settings.env, settings.home);
  const hosted = searchBackendChosen(settings.search, settings.env) ? undefined : hostedSearchFor(modelId, settings.providers);
  const { maxResults, timeoutMs, retry } = configured;
  const web: SearchSettings | undefined = hosted
    ? { maxResults, timeoutMs, retry, backend: "hosted", hosted }
    : configured.backend === "local"
      ? undefined
      : configured;
  const local = searchSettingsFrom(settings.search, { ...settings.env, PONDER_SEARCH_BACKEND: "local" }, settings.home);
  const localUsable = local.backend === "local" && existsSync(join(local.local.directory, "index.json"));
  const webUsable = web !== undefined;
  const webFix =
    "Set search.backend (searxng, brave, tavily, exa) in ponder.config.json or PONDER_SEARCH_BACKEND, or use an OpenAI or " +
    "Anthropic model (-m openai:gpt-5-mini, -m anthropic:claude-sonnet-4-5) with its key set: their hosted web search needs no other key";
  if (sources === "web" && !webUsable) {
    throw new ConfigError(
      `--sources web needs a web search, and ${modelId ?? "the model"} has no hosted one while no backend is configured.`,
      `${webFix}; or use --sources local.`,
    );
  }
  if (sources === "local" && !localUsable)
    throw new ConfigError(
      "--sources local needs documents in the local index, and it is empty.",
      "Add a folder with `ponder index add <folder>`.",
    );
  if (sources === "both" && !webUsable && !localUsable) {
    throw new ConfigError(
      `Research needs somewhere to search: no web search backend is configured, ${modelId ?? "the model"} has no hosted web search, and the local index is empty.`,
      `${webFix}; or add documents with \`ponder index add <folder>\`.`,
    );
  }
  const tools: AnyTool[] = [];
  const searched: string[] = [];
  if (sources !== "local" && web !== undefined) {
    tools.push(createWebSearchTool(web));
    searched.push(web.backend === "hosted" ? hostedSearchLabels[web.hosted.provider] : webLabels[web.backend]);
  }
  if (sources !== "web" && localUsable && local.backend === "local") {
    const searchDocuments = createWebSearchTool(local);
    // Beside a web backend the local index needs its own name; alone it keeps the usual one.
    tools.push(tools.length > 0 ? { ...searchDocuments, name: "search_documents" } : searchDocuments);
    searched.push("the local document index");
  }
  const openLocal: LocalDocumentOpener | undefined =
    sources !== "web" && local.backend === "local"
      ? (url) =>
          readIndexedDocument(local.local.directory, url).then((document) => document && { title: document.title, text: document.text })
      : undefined;
  return { tools: [...tools, ...createPageReadingTools(settings.readPage, openLocal)], searched };
}

const webLabels: Record<Exclude<SearchSettings["backend"], "local" | "hosted">, string> = {
  searxng: "SearXNG",
  brave: "Brave Search",
  tavily: "Tavily",
  exa: "Exa",
};

/** Per-run resources whose page cache is the research's, shared by every reader. */
class SharedPageResources extends RunResources {
  constructor(
    private readonly own: RunResources,
    private readonly shared: RunResources,
  ) {
    super();
  }

  override get<T extends RunResource>(key: string, create: () => Promise<T> | T): Promise<T> {
    return key === pageCacheResource ? this.shared.get(key, create) : this.own.get(key, create);
  }
}

export type ResearchToolbox = {
  tools: AnyTool[];
  /** Search queries actually sent, and how many identical ones were answered from memory. */
  stats: { queriesSent: number; repeatsCut: number };
  close(): Promise<void>;
};

/** Wraps the tools for one research: a shared page cache and a memory of queries already sent. */
export function shareResearchTools(tools: AnyTool[]): ResearchToolbox {
  const shared = new RunResources();
  const answered = new Map<string, Promise<ToolOutput>>();
  const repeats = new Map<string, number>();
  const stats = { queriesSent: 0, repeatsCut: 0 };
  const wrapped = tools.map((tool): AnyTool => {
    if (tool.name === "read_page" || tool.name === "find_in_page") {
      return {
        ...tool,
        run: (args, context) => tool.run(args, { ...context, resources: new SharedPageResources(context.resources, shared) }),
      };
    }
    if (tool.name !== "web_search" && tool.name !== "search_documents") return tool;
    return {
      ...tool,
      async run(args: { query: string; max_results?: number }, context) {
        const key = `${tool.name}:${args.query.trim().toLowerCase().replace(/\s+/g, " ")}`;
        const earlier = answered.get(key);
        if (!earlier) {
          stats.queriesSent++;
          const output = tool.run(args, context);
          answered.set(key, output);
          // A failed search may be tried again; only answers are remembered.
          output.catch(() => answered.delete(key));
          return output;
        }
        stats.repeatsCut++;
        const repeatKey = `${context.runId}:${key}`;
        const count = (repeats.get(repeatKey) ?? 0) + 1;
        repeats.set(repeatKey, count);
        if (count > repeatsTolerated) {
          throw new ToolError(
            `The query "${args.query}" was already searched ${count + 1} times in this research; searching it again cannot find anything new. Read a result, search different words, or write your NOTES now.`,
          );
        }
        const output = await earlier;
        const text = typeof output.content === "string" ? output.content : "";
        return {
          content: `(This query was already searched in this research; these are the same results. Search different words for anything new.)\n${text}`,
        };
      },
    };
  });
  return { tools: wrapped, stats, close: () => shared.closeAll() };
}
