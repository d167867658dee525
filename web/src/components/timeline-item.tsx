import type { FunctionCallOutputItem, Item } from "../api/api-types.js";
import { planOf, planToolName } from "../format/plan-steps.js";
import { ArtifactView } from "./artifact-view.js";
import { CompactionView } from "./compaction-view.js";
import { ContentParts } from "./content-parts.js";
import { GenericItem } from "./generic-item.js";
import { MessageView } from "./message-view.js";
import { PlanUpdate } from "./plan-checklist.js";
import { ReasoningView } from "./reasoning-view.js";
import { ToolArguments } from "./tool-arguments.js";
import { ToolCallView } from "./tool-call-view.js";

/** `stopped`: the call was running when the run's process stopped, and has no output yet. */
export type CallState = {
  approval: "waiting" | "approved" | "denied" | undefined;
  output: FunctionCallOutputItem | undefined;
  stopped: boolean;
};

/** One stored item, drawn by its type; types this page does not know yet are shown generically. */
export function TimelineItem({ runId, item, call }: { runId: string; item: Item; call: CallState | undefined }) {
  switch (item.type) {
    case "message":
      return <MessageView item={item} />;
    case "reasoning":
      return <ReasoningView item={item} />;
    case "function_call": {
      // A plan call that failed shows as the failed call it is.
      const plan = item.name === planToolName && !call?.output?.error_kind ? planOf(item.arguments) : undefined;
      if (plan) return <PlanUpdate plan={plan} />;
      return <ToolCallView call={item} state={call ?? { approval: undefined, output: undefined, stopped: false }} />;
    }
    case "function_call_output":
      return (
        <div className="tool-call">
          <span className="role">Tool output ({item.call_id})</span>
          {typeof item.output === "string" ? <pre className="code">{item.output}</pre> : <ContentParts parts={item.output} />}
        </div>
      );
    case "approval_request":
      return (
        <div className="note">
          Approval asked for <code>{item.name}</code>
          <ToolArguments text={item.arguments} />
        </div>
      );
    case "approval_response":
      return <p className="note">{item.approve ? "Approved" : `Denied${item.reason ? `: ${item.reason}` : ""}`}</p>;
    case "artifact":
      return <ArtifactView runId={runId} item={item} />;
    case "source":
      return (
        <p className="source">
          <span className="role">Source</span>{" "}
          <a href={item.url} target="_blank" rel="noopener noreferrer">
            {item.title || item.url}
          </a>
        </p>
      );
    case "note":
      return (
        <p className={`note note-${item.kind}`}>
          <span className="role">{item.kind}</span> {item.text}
        </p>
      );
    case "compaction":
      return <CompactionView item={item} />;
    default:
      return <GenericItem item={item} />;
  }
}
