// What every tool of `ponder mcp` shares: where settings come from (the command's flags, the
// environment, ponder.config.json), the one run store the process keeps open, the durable
// controls that let `ponder cancel` reach runs advancing here, and the runs in progress.
import type { RunRecord } from "../../core/run.js";
import { RunNotFoundError } from "../../core/errors.js";
import { resolveSettings, type Environment, type ResolvedSettings } from "../../config/resolve-settings.js";
import { sharedRunControls } from "../../queue/open-run-controls.js";
import type { RunControls } from "../../queue/run-controls.js";
import { openRunStore } from "../../store/open-run-store.js";
import type { RunStore } from "../../store/run-store.js";
import { TenantRunStore } from "../../store/tenant-run-store.js";
import { RunJobs } from "./run-jobs.js";

/** What `ponder mcp` was started with; a tool's own `model` argument wins over `model`. */
export type McpSettingsSource = {
  model?: string;
  home?: string;
  configPath?: string;
  env?: Environment;
  cwd?: string;
  unsafeNoSandbox?: boolean;
  /** Approve every tool call the policy would ask a person about (`--yes`): an MCP client has no one to ask. */
  approveAll?: boolean;
};

/** Shared by every session of one `ponder mcp` process. */
export type McpProcess = {
  source: McpSettingsSource & { env: Environment; cwd: string };
  settings: ResolvedSettings;
  store: RunStore;
  controls?: RunControls;
  jobs: RunJobs;
  close(): Promise<void>;
};

/** One client's view: over HTTP with API keys, a session belongs to the tenant of its key. */
export type McpSession = McpProcess & {
  tenant?: string;
  /** The store runs are created through: it stamps the session's tenant on them. */
  runStore: RunStore;
};

export function openMcpProcess(source: McpSettingsSource): McpProcess {
  const env = source.env ?? process.env;
  const cwd = source.cwd ?? process.cwd();
  // Resolved once at start so a broken config file stops `ponder mcp` at once, not at the first call.
  const settings = resolveSettings(
    { model: source.model, home: source.home, configPath: source.configPath, unsafeNoSandbox: source.unsafeNoSandbox },
    env,
    cwd,
  );
  const store = openRunStore(settings);
  const controls = sharedRunControls(store);
  const jobs = new RunJobs(controls);
  return {
    source: { ...source, env, cwd },
    settings,
    store,
    ...(controls ? { controls } : {}),
    jobs,
    close: async () => {
      await jobs.stopAll();
      await controls?.close();
      await store.close();
    },
  };
}

export function sessionOf(shared: McpProcess, tenant?: string): McpSession {
  return {
    ...shared,
    ...(tenant === undefined ? {} : { tenant }),
    runStore: tenant === undefined ? shared.store : new TenantRunStore(shared.store, tenant),
  };
}

/** The run, if the session may see it; else RunNotFoundError, as for a run that does not exist. */
export async function visibleRun(session: McpSession, runId: string): Promise<RunRecord> {
  const record = await session.store.getRun(runId);
  if (!record || !canSee(session, record)) throw new RunNotFoundError(runId);
  return record;
}

/** Whether the session may see a run: another tenant's run answers like a missing one. */
export function canSee(session: McpSession, record: RunRecord): boolean {
  return session.tenant === undefined || record.tenant === session.tenant;
}

/** Settings a tool call passes to Ponder's library: the command's, with the call's model. */
export function libraryOptionsOf(session: McpSession, model: string | undefined) {
  const { source } = session;
  return {
    model: model ?? source.model,
    home: source.home,
    configPath: source.configPath,
    env: source.env,
    cwd: source.cwd,
    unsafeNoSandbox: source.unsafeNoSandbox,
    store: session.runStore,
    ...(source.approveAll ? { approver: async () => true } : {}),
  };
}
