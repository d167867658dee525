import { z } from "zod";
import { efforts } from "../core/effort.js";
import { toolPolicySchema } from "../policy/tool-policy.js";
import { readFileSettingsSchema } from "../tools/files/read-file-settings.js";
import { imageToolSettingsSchema } from "../tools/image/image-settings.js";
import { readPageSettingsSchema } from "../tools/web/read/read-page-settings.js";
import { searchConfigSchema } from "../tools/web/search/search-settings.js";
import { mcpServersSettingsSchema } from "../tools/mcp/mcp-server-settings.js";
import { browserSettingsSchema } from "../tools/browser/browser-settings.js";

const positive = z.number().positive();

export const budgetSchema = z
  .object({
    maxSteps: z.number().int().positive().optional(),
    maxToolCalls: z.number().int().nonnegative().optional(),
    maxInputTokens: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    maxTotalTokens: z.number().int().positive().optional(),
    maxCostUsd: positive.optional(),
    timeoutMs: z.number().int().positive().optional(),
  })
  .strict();

/** A model call's timeouts (src/models/model-call-timeouts.ts states the defaults). */
const timeoutFields = {
  connectTimeoutMs: z.number().int().positive().optional(),
  idleTimeoutMs: z.number().int().positive().optional(),
};

const providerSchema = z
  .object({
    apiKey: z.string().min(1).optional(),
    baseURL: z.url().optional(),
    /** Who speaks Chat Completions: Ponder's own client (default) or the AI SDK provider package. */
    client: z.enum(["ponder", "ai-sdk"]).optional(),
    /** This provider's timeouts, over `modelCalls`. */
    ...timeoutFields,
  })
  .strict();

/** Timeouts and retries of every model call (src/models/retry.ts states the retry defaults). */
export const modelCallsSchema = z
  .object({
    ...timeoutFields,
    /** Attempts in total, the first call included. */
    maxAttempts: z.number().int().positive().optional(),
    initialDelayMs: z.number().int().nonnegative().optional(),
    maxDelayMs: z.number().int().nonnegative().optional(),
  })
  .strict();

const share = z.number().gt(0).lt(1);

export const contextConfigSchema = z
  .object({
    /** False: no compaction; requests grow until the provider refuses them. */
    compaction: z.boolean().optional(),
    /** Share of the usable window (window minus output reserve) a request may reach before compaction. */
    compactAt: share.optional(),
    /** Share of the usable window a compaction brings the context under. */
    compactTo: share.optional(),
    /** The newest tool outputs left whole when old ones are cleared. */
    keepToolOutputs: z.number().int().nonnegative().optional(),
    /** Tool outputs longer than this many characters go to a workspace file; the context gets head and tail. */
    offloadOutputCharacters: z.number().int().min(1000).optional(),
    /** Context windows by full model id, over the built-in table. */
    models: z
      .record(
        z.string().min(3),
        z.object({ contextWindow: z.number().int().positive(), maxOutputTokens: z.number().int().positive().optional() }).strict(),
      )
      .optional(),
  })
  .strict()
  .refine((context) => (context.compactTo ?? 0.5) < (context.compactAt ?? 0.75), {
    message: "compactTo must be below compactAt",
    path: ["compactTo"],
  });

export const configSchema = z
  .object({
    /** Default model, `provider:model`. */
    model: z.string().min(3).optional(),
    /** `auto`: the router picks the effort per question (see docs/router-and-team.md). */
    effort: z.enum([...efforts, "auto"]).optional(),
    budget: budgetSchema.optional(),
    /** Tool names a run may use; all built-in tools when absent. */
    tools: z.array(z.string()).optional(),
    providers: z
      .object({
        openai: providerSchema
          .extend({ api: z.enum(["responses", "chat"]).optional() })
          .strict()
          .optional(),
        anthropic: providerSchema.optional(),
        ollama: providerSchema.optional(),
        compat: providerSchema.optional(),
      })
      .catchall(providerSchema.extend({ baseURL: z.url() }).strict())
      .optional(),
    modelCalls: modelCallsSchema.optional(),
    /** How requests are kept inside each model's window (see docs/long-runs.md). */
    context: contextConfigSchema.optional(),
    policy: toolPolicySchema.optional(),
    sandbox: z
      .object({
        network: z.boolean().optional(),
        memoryMb: z.number().int().positive().optional(),
        cpuSeconds: z.number().int().positive().optional(),
        maxProcesses: z.number().int().positive().optional(),
        maxFileSizeMb: z.number().int().positive().optional(),
        diskMb: z.number().int().positive().optional(),
        maxOutputBytes: z.number().int().positive().optional(),
        /** Minutes a conversation's Python kernel is kept for its next turn (0: stopped with each turn). */
        idleKernelMinutes: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
    /** Settings of the built-in tools (see docs/tools/). */
    /** A shared PostgreSQL store instead of the SQLite file (DATABASE_URL wins). */
    store: z
      .object({
        url: z.string().min(1),
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/)
          .optional(),
      })
      .strict()
      .optional(),
    /** `ponder serve` and `ponder mcp --http`: more names the server answers to (see docs/server.md). */
    server: z
      .object({ allowedHosts: z.array(z.string().min(1)).optional() })
      .strict()
      .optional(),
    /** MCP servers whose tools runs may use, as `<server>__<tool>`. */
    mcpServers: mcpServersSettingsSchema.optional(),
    search: searchConfigSchema.optional(),
    browser: browserSettingsSchema.optional(),
    readPage: readPageSettingsSchema.optional(),
    readFile: readFileSettingsSchema.optional(),
    images: imageToolSettingsSchema.optional(),
    /** Price overrides in USD per million tokens, by model id. */
    prices: z
      .record(
        z.string(),
        z
          .object({ input: z.number().nonnegative(), output: z.number().nonnegative(), cachedInput: z.number().nonnegative().optional() })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type PonderConfig = z.infer<typeof configSchema>;
