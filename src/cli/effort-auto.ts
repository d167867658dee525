// `ponder ask` with `--effort auto`, or with no effort given anywhere (flag, PONDER_EFFORT,
// config file): the router classifies the question first and the run gets its decision.
import { loadConfig } from "../config/load-config.js";
import { modelFromSettings } from "../config/model-from-settings.js";
import { ponderHome } from "../config/ponder-home.js";
import { resolveSettings, type Environment } from "../config/resolve-settings.js";
import type { ModelClient } from "../models/model-client.js";
import { RunHandle } from "../library/run-handle.js";
import type { RunStore } from "../store/run-store.js";
import type { ExplicitChoices, RoutingDecision } from "../strategies/router/effort-decision.js";
import { describeDecision } from "../strategies/router/effort-decision.js";
import { recordDecision, routeRequest } from "../strategies/router/route-request.js";
import { style } from "./format.js";
import { newId } from "../core/ids.js";

export type EffortSources = { flag?: string; home?: string; configPath?: string; env: Environment; cwd: string; samplingChosen: boolean };

/**
 * Auto only when asked for by name (--effort auto, PONDER_EFFORT=auto or the config file's
 * "effort": "auto"), and not with --samples / --until-confident. Opt-in, because the
 * classification is one more model request (two when its JSON needs a repair) before the answer
 * starts, and a question it finds hard is sampled three times (docs/configuration.md).
 */
export function effortIsAuto({ flag, home, configPath, env, cwd, samplingChosen }: EffortSources): boolean {
  if (flag !== undefined) return flag === "auto";
  if (samplingChosen) return false;
  if (env.PONDER_EFFORT !== undefined) return env.PONDER_EFFORT === "auto";
  const { config } = loadConfig({ path: configPath ?? env.PONDER_CONFIG, cwd, home: ponderHome(env, home) });
  return config.effort === "auto";
}

/** `servedRunId`: the id the answering run will have when it is one run; the classification runs are its children. */
export type AutoRouting = { decision: RoutingDecision; model: ModelClient; servedRunId: string };

/** Classifies the question (its runs go in `store`) and shows the decision on stderr. */
export async function routeForAsk(
  question: string,
  options: { model?: string; home?: string; configPath?: string; store: RunStore; attachments: number; explicit: ExplicitChoices },
): Promise<AutoRouting> {
  const settings = resolveSettings(
    { model: options.model, home: options.home, configPath: options.configPath },
    process.env,
    process.cwd(),
  );
  const model = await modelFromSettings(options.model, settings);
  const servedRunId = newId("run");
  const decision = await routeRequest(question, {
    model,
    parentId: servedRunId,
    store: options.store,
    home: options.home,
    configPath: options.configPath,
    attachments: options.attachments,
    explicit: options.explicit,
  });
  process.stderr.write(`${style.dim(describeDecision(decision))}\n`);
  return { decision, model, servedRunId };
}

/**
 * A handle whose result comes once the decision is noted on the finished run, so `--json` (read
 * when the result arrives) carries the note, whichever store is used. Cancelling it cancels the run.
 */
export function noteDecisionWhenDone(handle: RunHandle, store: RunStore, decision: RoutingDecision): RunHandle {
  const controller = new AbortController();
  controller.signal.addEventListener("abort", () => handle.cancel(), { once: true });
  return new RunHandle(handle.id, controller, async () => {
    const record = await handle.result;
    await recordDecision(store, record.id, record.usage.steps, decision);
    return record;
  });
}
