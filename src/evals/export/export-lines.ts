// Trajectories to JSONL lines in the chosen format.
import type { ToolDefinition } from "../../models/model-client.js";
import { openAiChatExample } from "./openai-chat-format.js";
import { richTrajectory } from "./rich-format.js";
import type { Trajectory } from "./trajectory-source.js";

export const exportFormats = ["openai-chat", "rich"] as const;
export type ExportFormat = (typeof exportFormats)[number];

export type ExportOptions = {
  format: ExportFormat;
  definitionOf: (name: string) => ToolDefinition | undefined;
  /** Only samples that passed (the usual choice for supervised fine-tuning). */
  onlyPassed?: boolean;
  /** Leave out masked trajectories (infrastructure faults). Default for openai-chat: true. */
  dropMasked?: boolean;
};

export function exportLines(trajectories: readonly Trajectory[], options: ExportOptions): string[] {
  const dropMasked = options.dropMasked ?? options.format === "openai-chat";
  return trajectories.flatMap((trajectory) => {
    const rich = richTrajectory(trajectory);
    if (options.onlyPassed && rich.outcome !== "pass") return [];
    if (dropMasked && rich.masked) return [];
    return [JSON.stringify(options.format === "rich" ? rich : openAiChatExample(trajectory, options.definitionOf))];
  });
}
