import type { Budget } from "../core/budget.js";
import { mergeBudgets, emptyUsage } from "../core/budget.js";
import type { Effort } from "../core/effort.js";
import { ConfigError, InvalidRunStateError, RunNotFoundError } from "../core/errors.js";
import type { RunEvent } from "../core/events.js";
import { newId } from "../core/ids.js";
import type { ContentPart, ImagePart } from "../core/items.js";
import { runSchemaVersion, type RunRecord, type RunSpec } from "../core/run.js";
import { runWorkspaceOf } from "../config/ponder-home.js";
import { resolveSettings, type Environment, type ResolvedSettings } from "../config/resolve-settings.js";
import type { SettingsCache } from "../config/settings-cache.js";
import { advanceRun, type StoredRun } from "../loop/run-loop.js";
import type { StopCondition } from "../loop/stop-conditions.js";
import type { Approver } from "../loop/tool-batch.js";
import type { ModelClient } from "../models/model-client.js";
import type { ToolPolicy } from "../policy/tool-policy.js";
import type { RunStore, StoredItem } from "../store/run-store.js";
import { leaseStore, type StoreLease } from "../store/store-lease.js";
import { RunResources } from "../tools/run-resources.js";
import { adoptKeptKernel, keepRunKernel } from "../tools/python/kept-kernels.js";
import type { AnyTool, SandboxSettings } from "../tools/tool.js";
import { connectRunMcpServers, selectRunTools, type RunTools } from "./run-tools.js";
import type { McpServers } from "../tools/mcp/index.js";
import { imagePartFromFile } from "./image-input.js";
import { copyAttachments } from "./attachments.js";
import { RunHandle } from "./run-handle.js";
import { telemetryOfProcess, traceRunEvents } from "../telemetry/index.js";
import { isInterrupted } from "./run-liveness.js";
import { conversationIdOf, turnToContinue } from "./conversation-turns.js";
import { modelFromSettings } from "../config/model-from-settings.js";
import { checkClientSettings, type ClientSettings } from "./client-settings.js";

/** Options shared by starting and resuming a run. Everything is optional. */
export type RunEnvironmentOptions = {
  /** A model id (`openai:o4-mini`) or a ModelClient object. */
  model?: string | ModelClient;
  /** Tool names (built-ins) or Tool objects. Default: every built-in tool. */
  tools?: (string | AnyTool)[];
  policy?: ToolPolicy;
  sandbox?: Partial<SandboxSettings>;
  /** Called when the policy says `ask`. Without it, the run waits in `awaiting_approval`. */
  approver?: Approver;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  stopConditions?: StopCondition[];
  /** Messages for the model, read at its first step boundary (steering left by another process). */
  steering?: string[];
  /** Asked at each step boundary: true stops the run cleanly and leaves it `queued` (a worker shutting down). */
  shouldYield?: () => boolean;
  /** How long this process may miss heartbeats before another host may take the run over (default 60 s). */
  leaseMs?: number;
  /** Stream text and reasoning as it is written (default true). False: one plain call per turn, less overhead. */
  stream?: boolean;
  store?: RunStore;
  /** Ponder's home directory (database, workspaces); default PONDER_HOME or ~/.ponder. */
  home?: string;
  configPath?: string;
  env?: Environment;
  cwd?: string;
  /** Settings shared by many runs (a server's): reused for a second instead of resolved for each run; it holds its own env and cwd. */
  settingsCache?: SettingsCache;
  unsafeNoSandbox?: boolean;
};

export type StartRunOptions = RunEnvironmentOptions &
  ClientSettings & {
    effort?: Effort;
    budget?: Budget;
    instructions?: string;
    /** Image files to attach: shown to the model and copied into the workspace. */
    images?: string[];
    /** Images given as URLs (an HTTP request's image parts): shown to the model; data URLs are also saved into the workspace. */
    inputImages?: ImagePart[];
    /** Other files to attach (CSV, JSON, text, PDF): copied into the workspace for the tools. */
    files?: string[];
    parentId?: string;
    /** The new run's id, when the caller chose it first (runs made on its behalf before it name it as their parent). */
    id?: string;
    metadata?: Record<string, string>;
    /**
     * Makes the run a follow-up: the next turn of the conversation this run (any of its turns, or
     * the conversation's id) belongs to. It sees every item of the earlier turns, works in their
     * workspace, and keeps their model and instructions unless given others.
     */
    continueFrom?: string;
  };

/** Creates a run and starts advancing it; the handle streams its events and resolves with the record. */
export async function startRun(input: string, options: StartRunOptions = {}): Promise<RunHandle> {
  const settings = settingsOf(options);
  const lease = leaseStore(options.store, settings);
  let prepared: Awaited<ReturnType<typeof newRun>>;
  try {
    const previous = options.continueFrom === undefined ? undefined : await turnToContinue(lease.store, options.continueFrom);
    prepared = await newRun(input, options, settings, previous);
  } catch (error) {
    await lease.release();
    throw error;
  }
  const { record, model, tools } = prepared;
  // The run's setup goes on while its record commits; the loop announces nothing and asks no model
  // until the record is durable (RunJournal.stored). The caller gets the handle once it is stored.
  const creating = lease.store.createRun(record);
  const handle = launch(record, {
    lease,
    model,
    tools,
    settings,
    options,
    creating,
    followUp: (text) => startRun(text, followUpOptions(options, record.id)),
  });
  try {
    await creating;
  } catch (error) {
    handle.cancel();
    // The creation's own error, thrown below, is what the caller must see; the run only stops.
    await handle.result.catch(() => undefined);
    throw error;
  }
  return handle;
}

/** The new run's record (a follow-up of `previous` when given), with the model and tools it runs with. */
async function newRun(input: string, options: StartRunOptions, settings: ResolvedSettings, previous: RunRecord | undefined) {
  const model = await modelFromSettings(options.model ?? previous?.spec.model, settings);
  const tools = selectRunTools(options.tools, settings, model.capabilities.vision, model.id);
  const effort = options.effort ?? settings.effort;
  const budget = mergeBudgets(settings.budget, options.budget ?? {});
  const images = [...(await Promise.all((options.images ?? []).map(imagePartFromFile))), ...(options.inputImages ?? [])];
  if (images.length > 0 && !model.capabilities.vision) {
    throw new ConfigError(
      `The model ${model.id} does not accept images.`,
      "Choose a vision model (e.g. openai:gpt-5-mini, anthropic:claude-sonnet-4-5), or send no images.",
    );
  }
  const runId = options.id ?? newId("run");
  const conversation = previous && { conversationId: conversationIdOf(previous), previousRunId: previous.id };
  const attached = await copyAttachments(
    [...(options.images ?? []), ...(options.files ?? [])],
    runWorkspaceOf(settings.home, conversation?.conversationId ?? runId),
    options.inputImages,
  );
  const question = attached ? `${input}\n\n${attached}` : input;
  const content: string | ContentPart[] = images.length > 0 ? [{ type: "input_text", text: question }, ...images] : question;
  const instructions = options.instructions ?? previous?.spec.instructions;
  checkClientSettings(options, model, tools.names, previous);
  const spec: RunSpec = {
    model: model.id,
    input: content,
    effort,
    budget,
    tools: tools.names,
    ...(instructions ? { instructions } : {}),
    ...(options.metadata ? { metadata: options.metadata } : {}),
    ...clientSettingsOf(options),
  };
  const now = new Date().toISOString();
  const record: RunRecord = {
    schemaVersion: runSchemaVersion,
    id: runId,
    ...(options.parentId ? { parentId: options.parentId } : {}),
    ...conversation,
    status: "queued",
    spec,
    createdAt: now,
    updatedAt: now,
    usage: emptyUsage(),
  };
  return { record, model, tools };
}

/** The client's settings as the spec records them: only those given. */
function clientSettingsOf(options: ClientSettings): ClientSettings {
  const { clientTools, toolChoice, parallelToolCalls, clientToolOutputs, answerFormat, sampling, context } = options;
  return {
    ...(clientTools && clientTools.length > 0 && { clientTools }),
    ...(toolChoice !== undefined && { toolChoice }),
    ...(parallelToolCalls !== undefined && { parallelToolCalls }),
    ...(clientToolOutputs && clientToolOutputs.length > 0 && { clientToolOutputs }),
    ...(answerFormat && { answerFormat }),
    ...(sampling && (sampling.temperature !== undefined || sampling.topP !== undefined) && { sampling }),
    ...(context && { context }),
  };
}

export type ResumeRunOptions = RunEnvironmentOptions & {
  /**
   * The run's record as the caller has just read it from `store` (a queue worker): saves reading
   * it again here and in the loop. Its owner is what the first checkpoint is fenced on, so a
   * process that took the run since then still wins.
   */
  stored?: RunRecord;
  /** With `stored`, the run's items as read with it: the loop need not read them either. */
  storedItems?: StoredItem[];
};

/** Continues a run from its last checkpoint: after a crash, an approval, or a failure. */
export async function resumeRun(runId: string, options: ResumeRunOptions = {}): Promise<RunHandle> {
  const settings = settingsOf(options);
  const lease = leaseStore(options.store, settings);
  try {
    const record = resumable(options.stored?.id === runId ? options.stored : await lease.store.getRun(runId), runId);
    const model = await modelFromSettings(options.model ?? record.spec.model, settings);
    const custom = (options.tools ?? []).filter((tool): tool is AnyTool => typeof tool !== "string");
    const tools = selectRunTools(
      [...record.spec.tools.filter((name) => !custom.some((tool) => tool.name === name)), ...custom],
      settings,
      model.capabilities.vision,
      model.id,
    );
    // From here the run holds the store, and releases it when it ends.
    return launch(record, {
      lease,
      model,
      tools,
      settings,
      options,
      ...(options.stored && {
        stored: { record, ...(options.storedItems && { items: options.storedItems.map((stored) => stored.item) }) },
      }),
      followUp: (text) => startRun(text, followUpOptions(options, runId)),
    });
  } catch (error) {
    await lease.release();
    throw error;
  }
}

/** The stored run, if it is one that may be resumed here; else why not. */
function resumable(record: RunRecord | undefined, runId: string): RunRecord {
  if (!record) throw new RunNotFoundError(runId);
  if (record.spec.strategy) {
    throw new InvalidRunStateError(
      `Run ${runId} is a ${record.spec.strategy.name} strategy run; its samples are the runs that can be resumed.`,
      `List them with \`ponder runs --json\` (their parent_id is ${runId}).`,
    );
  }
  if (record.status === "completed" || record.status === "cancelled") {
    throw new InvalidRunStateError(
      `Run ${runId} is already ${record.status}; there is nothing to resume.`,
      `See it with \`ponder show ${runId}\`.`,
    );
  }
  if (isInterrupted(record) === false && record.status === "running") {
    throw new InvalidRunStateError(
      `Run ${runId} is being advanced by process ${record.owner?.pid} on ${record.owner?.host}.`,
      "Wait for it, or cancel it first.",
    );
  }
  return record;
}

type Launch = {
  /** The run's store; released when the run ends. */
  lease: StoreLease;
  model: ModelClient;
  tools: RunTools;
  settings: ResolvedSettings;
  options: RunEnvironmentOptions;
  /** The record was just created here, and this is its write: the loop need not read it back. */
  creating?: Promise<void>;
  /** The record (and maybe the items) read by the caller a moment ago: the loop need not read them again. */
  stored?: StoredRun;
  followUp: (text: string) => Promise<RunHandle>;
};

/** A follow-up's options: the run's own, without what belonged to its question alone (attachments, steering, a parent). */
function followUpOptions(options: StartRunOptions, runId: string): StartRunOptions {
  const {
    images: _images,
    inputImages: _inputImages,
    files: _files,
    steering: _steering,
    parentId: _parentId,
    clientToolOutputs: _clientToolOutputs,
    ...kept
  } = options;
  return { ...kept, continueFrom: runId };
}

function launch(record: RunRecord, { lease, model, tools, settings, options, creating, stored, followUp }: Launch): RunHandle {
  const controller = new AbortController();
  const outer = options.signal;
  const abortFromOuter = () => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener("abort", abortFromOuter, { once: true });
  // A conversation's turns share its first turn's workspace: files written in one are there in the next.
  const workspace = runWorkspaceOf(settings.home, conversationIdOf(record));
  const resources = new RunResources();
  // OpenTelemetry spans when the standard OTEL_* variables ask for them; nothing otherwise.
  const telemetry = telemetryOfProcess(options.env ?? process.env);
  const traceEvent = telemetry && traceRunEvents(telemetry, { parentRunId: record.parentId });
  const sandbox = {
    ...settings.sandbox,
    ...options.sandbox,
    unsafeNoSandbox: options.unsafeNoSandbox ?? options.sandbox?.unsafeNoSandbox ?? settings.sandbox.unsafeNoSandbox,
  };
  const handle = new RunHandle(
    record.id,
    controller,
    async (self) => {
      try {
        const mcp = await connectRunMcpServers(tools, settings, controller.signal);
        if (mcp.servers) await resources.get("mcp-servers", () => mcp.servers as McpServers);
        return await advanceRun(record.id, {
          store: lease.store,
          model,
          tools: tools.registry,
          policy: options.policy ?? settings.policy,
          sandbox,
          workspace,
          resources,
          // The conversation's Python kernel, kept by this process since its previous turn.
          adoptToolState: () => adoptKeptKernel(resources, workspace, sandbox),
          signal: controller.signal,
          emit: (event) => {
            self.publish(event);
            options.onEvent?.(event);
            traceEvent?.(event);
          },
          approver: options.approver,
          stopConditions: options.stopConditions,
          streamDeltas: options.stream,
          shouldYield: options.shouldYield,
          leaseMs: options.leaseMs,
          startNotes: mcp.notes,
          prices: settings.prices,
          context: settings.context,
          takeSteering: () => self.takeSteering(),
          watchTurn: (interrupt) => self.watchTurn(interrupt),
          ...(creating && { created: { record, write: creating } }),
          ...(stored && { stored }),
        });
      } finally {
        // A strategy's shared signal outlives its children: a finished run stops listening to it.
        outer?.removeEventListener("abort", abortFromOuter);
        // A strategy's samples are not continued: their kernels end with them.
        if (!record.parentId) await keepRunKernel(resources, workspace, sandbox);
        await resources.closeAll();
        await lease.release();
      }
    },
    followUp,
  );
  // Queued before the loop reaches its first step boundary, which is several awaits away.
  for (const text of options.steering ?? []) handle.steer(text);
  return handle;
}

function settingsOf(options: RunEnvironmentOptions & { effort?: Effort; budget?: Budget }): ResolvedSettings {
  const direct = {
    model: typeof options.model === "string" ? options.model : undefined,
    effort: options.effort,
    home: options.home,
    configPath: options.configPath,
    unsafeNoSandbox: options.unsafeNoSandbox,
  };
  return options.settingsCache
    ? options.settingsCache.resolve(direct)
    : resolveSettings(direct, options.env ?? process.env, options.cwd ?? process.cwd());
}
