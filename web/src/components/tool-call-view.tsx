import { useRef } from "react";
import type { FunctionCallItem, FunctionCallOutputItem } from "../api/api-types.js";
import { formatDuration } from "../format/format-values.js";
import { argumentsPreview, previewOf } from "../format/tool-preview.js";
import { ContentParts } from "./content-parts.js";
import type { CallState } from "./timeline-item.js";
import { ToolArguments } from "./tool-arguments.js";

const approvalLabels = { waiting: "waiting for approval", approved: "approved", denied: "denied" } as const;

type Outcome = { label: string; tone: "running" | "done" | "error" | "warning" | "waiting" };

/**
 * A tool call as a card: its name and outcome, then a few lines of its input (the code, the query)
 * and of its output, so the run reads without opening anything; the whole of both opens on a tap.
 * A failed call says how it failed, in red, never "done".
 */
export function ToolCallView({ call, state }: { call: FunctionCallItem; state: CallState }) {
  const details = useRef<HTMLDetailsElement>(null);
  const { output, approval } = state;
  const outcome = outcomeOf(state);
  const input = argumentsPreview(call.arguments);
  const outputText = output === undefined ? undefined : textOf(output.output);
  const result = outputText === undefined ? undefined : previewOf(outputText);
  const stoppedUnresumed = output === undefined && state.stopped;
  const open = () => {
    if (details.current) details.current.open = true;
  };
  return (
    <div className={`tool-call tool-${outcome.tone}`} data-outcome={outcome.tone}>
      <details ref={details} className="foldable">
        <summary>
          <span className="tool-name">
            <span className="role">Tool</span> <code>{call.name}</code>
          </span>
          {approval && <span className={`tag approval-${approval}`}>{approvalLabels[approval]}</span>}
          <span className={`tag outcome outcome-${outcome.tone}`}>{outcome.label}</span>
          {output?.duration_ms !== undefined && <span className="muted">{formatDuration(output.duration_ms)}</span>}
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
      <div className="tool-preview" onClick={open}>
        {input.text && (
          <pre className="code preview-input" title="Input (tap to see all)">
            {input.text}
            {input.cut && <span className="more"> …</span>}
          </pre>
        )}
        {result && (
          <pre className="code preview-output" title="Output (tap to see all)">
            {result.text || "(no output)"}
            {result.cut && <span className="more"> …</span>}
          </pre>
        )}
      </div>
      {(stoppedUnresumed || output?.error_kind === "unknown_outcome") && (
        <p className="muted tool-note">
          The process stopped while this call ran;{" "}
          {stoppedUnresumed ? "resuming tells the model to check before repeating it." : "it was not run again."}
        </p>
      )}
    </div>
  );
}

function outcomeOf({ output, approval, stopped }: CallState): Outcome {
  if (output?.error_kind === "unknown_outcome" || (output === undefined && stopped)) return { label: "outcome unknown", tone: "warning" };
  if (output?.error_kind) return { label: `failed: ${output.error_kind.replace(/_/g, " ")}`, tone: "error" };
  if (output) {
    // Python's own exceptions come back as output, under this line (tools/python/python-tool.ts).
    const raised = /^Error: the code raised (\w+)/m.exec(textOf(output.output))?.[1];
    return raised ? { label: `raised ${raised}`, tone: "error" } : { label: "done", tone: "done" };
  }
  if (approval === "waiting") return { label: "not run yet", tone: "waiting" };
  if (approval === "denied") return { label: "not run", tone: "warning" };
  return { label: "running", tone: "running" };
}

function textOf(output: FunctionCallOutputItem["output"]): string {
  if (typeof output === "string") return output;
  return output.map((part) => (part.type === "input_image" ? "[image]" : part.text)).join("\n");
}
