import type { RunSpec } from "../../core/run.js";
import type { ConfiguredWindow } from "../../models/context-window.js";

/** How the loop keeps requests inside the model's window (config `context`, docs/long-runs.md). */
export type ContextSettings = {
  /** False: the history is sent whole until the provider refuses it (for comparisons). */
  compaction: boolean;
  /** Share of the usable window a request may reach before old context is compacted. */
  compactAt: number;
  /** Tokens a request may reach before compaction, when lower than `compactAt` of the window (a run's own setting). */
  compactThreshold?: number;
  /** Share of the usable window a compaction brings the context under: the room for the next steps. */
  compactTo: number;
  /** The newest tool outputs tier 1 leaves as they are. */
  keepToolOutputs: number;
  /** A tool output longer than this (characters) goes to a workspace file; the context gets its head and tail. */
  offloadOutputCharacters: number;
  /** Windows by full model id, over the built-in table: `{ "compat:my-model": { contextWindow: 32768 } }`. */
  models: Record<string, ConfiguredWindow>;
};

/** The config's settings, then the run's own (an API request's), over the defaults. */
export function contextSettingsOf(configured: Partial<ContextSettings> | undefined, run: RunSpec["context"]): ContextSettings {
  return {
    ...defaultContextSettings,
    ...configured,
    ...(run?.compaction !== undefined && { compaction: run.compaction }),
    ...(run?.compactThreshold !== undefined && { compactThreshold: run.compactThreshold }),
  };
}

export const defaultContextSettings: ContextSettings = {
  compaction: true,
  compactAt: 0.75,
  compactTo: 0.5,
  keepToolOutputs: 3,
  offloadOutputCharacters: 20_000,
  models: {},
};
