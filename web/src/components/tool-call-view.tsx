import type { FunctionCallItem } from "../api/api-types.js";
import { formatDuration } from "../format/format-values.js";
import { ContentParts } from "./content-parts.js";
import type { CallState } from "./timeline-item.js";
import { ToolArguments } from "./tool-arguments.js";

const approvalLabels = { waiting: "waiting for approval", approved: "approved", denied: "denied" } as const;

/**
 * A tool call with its input and output, folded: the name and outcome show, the details open on
 * a tap. A call the process stopped in says so in words: its effects are unknown.
 */
export function ToolCallView({ call, state }: { call: FunctionCallItem; state: CallState }) {
  const { output, approval } = state;
  const stoppedUnresumed = output === undefined && state.stopped;
  const unknown = output?.error_kind === "unknown_outcome" || stoppedUnresumed;
  const outcome = unknown
    ? "outcome unknown"
    : output
      ? output.error_kind
        ? output.error_kind.replace(/_/g, " ")
        : "done"
      : approval === "waiting"
        ? undefined
        : "running";
  return (
    <details className={`tool-call${unknown ? " tool-call-unknown" : output?.error_kind ? " tool-call-error" : ""}`}>
      <summary>
        <span className="role">Tool</span> <code>{call.name}</code>
        {approval && <span className={`tag approval-${approval}`}>{approvalLabels[approval]}</span>}
        {outcome && <span className="tag">{outcome}</span>}
        {output?.duration_ms !== undefined && <span className="muted"> {formatDuration(output.duration_ms)}</span>}
        {unknown && (
          <span className="muted">
            the process stopped while this call ran;{" "}
            {stoppedUnresumed ? "resuming tells the model to check before repeating it" : "it was not run again"}
          </span>
        )}
      </summary>
      <h3 className="tool-heading">Input</h3>
      <ToolArguments text={call.arguments} />
      {output && (
        <>
          <h3 className="tool-heading">Output</h3>
          {typeof output.output === "string" ? (
            <pre className="code tool-output">{output.output}</pre>
          ) : (
            <ContentParts parts={output.output} />
          )}
        </>
      )}
    </details>
  );
}
