import type { Budget } from "../core/budget.js";
import { mergeBudgets } from "../core/budget.js";
import { effortBudgets, isEffort, type Effort } from "../core/effort.js";
import { ConfigError } from "../core/errors.js";
import type { ModelPrice } from "../models/prices.js";
import type { ProviderConnection, ProviderSettings } from "../models/provider-settings.js";
import type { ToolPolicy } from "../policy/tool-policy.js";
import { defaultSandboxSettings, type SandboxSettings } from "../tools/tool.js";
import { loadConfig } from "./load-config.js";
import type { PonderConfig } from "./config-schema.js";
import type { McpServersSettings } from "../tools/mcp/mcp-server-settings.js";
import { databasePathOf, ponderHome } from "./ponder-home.js";

export type Environment = Record<string, string | undefined>;

/** What a caller (CLI flags, library options) says directly; it wins over env and config. */
export type DirectSettings = {
  model?: string;
  effort?: Effort;
  budget?: Budget;
  tools?: string[];
  home?: string;
  configPath?: string;
  unsafeNoSandbox?: boolean;
};

export type ResolvedSettings = {
  home: string;
  databasePath: string;
  /** Set when runs live in PostgreSQL: DATABASE_URL (and PONDER_DATABASE_SCHEMA), or the config's `store`. */
  store?: { url: string; schema?: string };
  configPath?: string;
  /** Undefined when nothing names a model: see detectDefaultModel. */
  model?: string;
  effort: Effort;
  budget: Budget;
  tools?: string[];
  providers: ProviderSettings;
  policy: ToolPolicy;
  sandbox: SandboxSettings;
  prices: Record<string, ModelPrice>;
  /** How requests are kept inside each model's window (config `context`). */
  context: PonderConfig["context"];
  /** Settings of the built-in tools, as the config file gives them. */
  toolSettings: BuiltinToolSettings;
  mcpServers: McpServersSettings;
  /** Names the HTTP servers answer to besides the loopback ones (config `server.allowedHosts`). */
  allowedHosts: string[];
};

export type BuiltinToolSettings = Pick<PonderConfig, "search" | "browser" | "readPage" | "readFile" | "images"> & {
  /** Search backends read their keys from here (BRAVE_API_KEY, ...); the local index lives in `home`. */
  env: Environment;
  home: string;
  /** The model providers whose hosted web search `web_search` may use when no backend is chosen. */
  providers?: Pick<ProviderSettings, "openai" | "anthropic">;
};

const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes)$/i.test(value);

/** Settings from, in order of precedence: direct settings, environment, config file, defaults. */
export function resolveSettings(direct: DirectSettings, env: Environment, cwd: string): ResolvedSettings {
  const home = ponderHome(env, direct.home);
  const { config, path } = loadConfig({ path: direct.configPath ?? env.PONDER_CONFIG, cwd, home });
  // "auto" is decided per question by the router (cli/effort-auto.ts); runs it has not routed get medium.
  const named = direct.effort ?? env.PONDER_EFFORT ?? config.effort;
  const effortText = named === undefined || named === "auto" ? "medium" : named;
  if (!isEffort(effortText)) throw new ConfigError(`Unknown effort "${effortText}".`, "Use one of: minimal, low, medium, high, auto.");
  const budget = mergeBudgets(mergeBudgets(effortBudgets[effortText], config.budget ?? {}), direct.budget ?? {});
  const providers = config.providers ?? {};
  const { openai, anthropic, ollama, compat, ...custom } = providers;
  const { maxAttempts, initialDelayMs, maxDelayMs, ...callTimeouts } = config.modelCalls ?? {};
  const resolved: ResolvedSettings = {
    home,
    databasePath: databasePathOf(home, env),
    ...storeOf(config.store, env),
    configPath: path,
    model: direct.model ?? env.PONDER_MODEL ?? config.model,
    effort: effortText,
    budget,
    tools: direct.tools ?? config.tools,
    providers: {
      openai: {
        apiKey: openai?.apiKey ?? env.OPENAI_API_KEY,
        baseURL: openai?.baseURL ?? env.OPENAI_BASE_URL,
        api: openai?.api ?? (env.PONDER_OPENAI_API === "chat" ? "chat" : undefined),
        client: openai?.client,
        timeouts: timeoutsOf(openai),
      },
      anthropic: {
        apiKey: anthropic?.apiKey ?? env.ANTHROPIC_API_KEY,
        baseURL: anthropic?.baseURL ?? env.ANTHROPIC_BASE_URL,
        timeouts: timeoutsOf(anthropic),
      },
      ollama: {
        apiKey: ollama?.apiKey,
        baseURL: ollama?.baseURL ?? ollamaBaseUrl(env.OLLAMA_HOST),
        client: ollama?.client,
        timeouts: timeoutsOf(ollama),
      },
      compat: {
        apiKey: compat?.apiKey ?? env.PONDER_COMPAT_API_KEY,
        baseURL: compat?.baseURL ?? env.PONDER_COMPAT_BASE_URL,
        client: compat?.client,
        timeouts: timeoutsOf(compat),
      },
      providers: Object.fromEntries(
        Object.entries(custom).map(([name, { connectTimeoutMs, idleTimeoutMs, ...connection }]) => [
          name,
          { ...connection, timeouts: { connectTimeoutMs, idleTimeoutMs } },
        ]),
      ) as Record<string, ProviderConnection & { baseURL: string }>,
      calls: { ...callTimeouts, retry: { maxAttempts, initialDelayMs, maxDelayMs } },
    },
    policy: config.policy ?? {},
    sandbox: {
      ...defaultSandboxSettings,
      ...config.sandbox,
      unsafeNoSandbox: direct.unsafeNoSandbox === true || truthy(env.PONDER_UNSAFE_NO_SANDBOX),
    },
    mcpServers: config.mcpServers ?? {},
    allowedHosts: config.server?.allowedHosts ?? [],
    toolSettings: {
      browser: env.PONDER_CHROMIUM_PATH ? { ...config.browser, executablePath: env.PONDER_CHROMIUM_PATH } : config.browser,
      search: config.search,
      readPage: config.readPage,
      readFile: config.readFile,
      images: config.images,
      env,
      home,
    },
    context: config.context,
    prices: Object.fromEntries(
      Object.entries(config.prices ?? {}).map(([model, price]) => [
        model,
        { inputPerMillion: price.input, outputPerMillion: price.output, cachedInputPerMillion: price.cachedInput ?? price.input },
      ]),
    ),
  };
  // web_search may use the run's provider's hosted search, with the same key (hosted-search-settings.ts).
  resolved.toolSettings.providers = { openai: resolved.providers.openai, anthropic: resolved.providers.anthropic };
  return resolved;
}

/** A provider's own timeouts from its config entry (model-call-timeouts.ts fills the missing ones). */
function timeoutsOf(provider: { connectTimeoutMs?: number; idleTimeoutMs?: number } | undefined): ProviderConnection["timeouts"] {
  return { connectTimeoutMs: provider?.connectTimeoutMs, idleTimeoutMs: provider?.idleTimeoutMs };
}

/** OLLAMA_HOST may be `host:port` or a URL; the OpenAI-compatible API lives under /v1. */
function ollamaBaseUrl(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const url = host.startsWith("http") ? host : `http://${host}`;
  return `${url.replace(/\/+$/, "")}/v1`;
}

function storeOf(configured: PonderConfig["store"], env: Environment): { store?: { url: string; schema?: string } } {
  const url = env.DATABASE_URL ?? configured?.url;
  if (!url) return {};
  const schema = env.PONDER_DATABASE_SCHEMA ?? configured?.schema;
  return { store: { url, ...(schema ? { schema } : {}) } };
}
