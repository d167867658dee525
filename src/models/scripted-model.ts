// A ModelClient that plays a script, for tests and demos: no network, deterministic turns, and
// the same contract as a real provider (streamed deltas, errors as ModelCallError, aborts).

import { ModelCallError } from "../core/errors.js";
import { sleep, throwIfAborted } from "../core/abort.js";
import type { ModelCapabilities, ModelClient, ModelRequest, ModelStreamPart, ModelUsage, TurnItem } from "./model-client.js";
import { isRetryableStatus } from "./retry.js";
import { type Script, type ScriptedTurn, loadScriptFile } from "./scripted-script.js";

export type ScriptedModelOptions = {
  /** `scripted:<name>`; defaults to `scripted:inline`. */
  id?: string;
  capabilities?: Partial<ModelCapabilities>;
};

export class ScriptedModel implements ModelClient {
  readonly id: string;
  readonly provider = "scripted";
  readonly modelName: string;
  readonly capabilities: ModelCapabilities;
  // A script accepts every setting; tests read them back from `requests`.
  readonly passes = { temperature: true, topP: true, parallelToolCalls: true, forcedToolChoice: true, structuredOutput: true };
  /** Every request received, in order, for tests to inspect. */
  readonly requests: ModelRequest[] = [];
  private turnsPlayed = 0;

  constructor(
    private readonly script: Script,
    options: ScriptedModelOptions = {},
  ) {
    this.id = options.id ?? "scripted:inline";
    this.modelName = this.id.slice(this.id.indexOf(":") + 1);
    // Everything on by default, so a script can exercise images and effort alike.
    this.capabilities = { vision: true, reasoning: true, ...options.capabilities };
  }

  static fromFile(path: string, options: Omit<ScriptedModelOptions, "id"> = {}): ScriptedModel {
    return new ScriptedModel(loadScriptFile(path), { ...options, id: `scripted:${path}` });
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    throwIfAborted(request.signal);
    const turnIndex = this.turnsPlayed++;
    this.requests.push(request);
    const turn = Array.isArray(this.script) ? this.script[turnIndex] : await this.script(request, turnIndex);
    if (turn === undefined) {
      throw new ModelCallError(`The scripted model ${this.id} has no turn ${turnIndex + 1}: its script ended after ${turnIndex} turn(s).`, {
        retryable: false,
        hint: "Add turns to the script, or check why the run asked the model more often than expected.",
      });
    }
    if (turn.delayMs) await sleep(turn.delayMs, request.signal);
    for (const chunk of chunks(turn.reasoning)) {
      throwIfAborted(request.signal);
      yield { type: "reasoning-delta", delta: chunk };
    }
    for (const chunk of chunks(turn.text)) {
      throwIfAborted(request.signal);
      yield { type: "text-delta", delta: chunk };
    }
    if (turn.error) {
      const { status, message, retryAfterSeconds } = turn.error;
      throw new ModelCallError(`scripted returned HTTP ${status} for ${this.modelName}: ${message ?? "scripted error"}`, {
        status,
        retryable: isRetryableStatus(status),
        retryAfterMs: retryAfterSeconds === undefined ? undefined : retryAfterSeconds * 1000,
      });
    }
    const items = turnItems(turn, turnIndex, request.toolChoice === "none");
    const hasCalls = items.some((item) => item.type === "function_call");
    yield { type: "finish", items, usage: usageOf(turn, request, items), finishReason: hasCalls ? "tool-calls" : "stop" };
  }
}

function turnItems(turn: ScriptedTurn, turnIndex: number, toolsForbidden: boolean): TurnItem[] {
  const items: TurnItem[] = [];
  if (turn.reasoning) items.push({ type: "reasoning", summary: [], content: [{ type: "reasoning_text", text: turn.reasoning }] });
  if (turn.text) items.push({ type: "message", role: "assistant", content: [{ type: "output_text", text: turn.text }] });
  // Like a real client under toolChoice "none": no tool calls reach the run.
  if (toolsForbidden) return items;
  (turn.toolCalls ?? []).forEach((call, index) => {
    items.push({
      type: "function_call",
      call_id: call.id ?? `call_${turnIndex}_${index}`,
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
    });
  });
  return items;
}

/** Roughly four characters a token, so budgets behave plausibly; the script can set exact numbers. */
function usageOf(turn: ScriptedTurn, request: ModelRequest, items: TurnItem[]): ModelUsage {
  const tokens = (text: string) => Math.ceil(text.length / 4);
  const reasoningTokens = tokens(turn.reasoning ?? "");
  return {
    inputTokens: tokens((request.instructions ?? "") + JSON.stringify(request.items)),
    outputTokens: tokens(JSON.stringify(items.filter((item) => item.type !== "reasoning"))) + reasoningTokens,
    reasoningTokens,
    cachedInputTokens: 0,
    ...turn.usage,
  };
}

/** Splits text into word-sized deltas, like a provider streams it. */
function chunks(text: string | undefined): string[] {
  return text ? (text.match(/\s*\S+\s*/g) ?? [text]) : [];
}
