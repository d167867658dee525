import { useRunStream } from "../hooks/use-run-stream.js";
import { ApprovalPanel } from "./approval-panel.js";
import { BestOfView } from "./best-of-view.js";
import { ErrorMessage } from "./error-message.js";
import { ResearchView } from "./research-view.js";
import { RunHeader } from "./run-header.js";
import { RunTimeline } from "./run-timeline.js";
import { SteerBox } from "./steer-box.js";
import { TypingBlock } from "./typing-block.js";
import { EarlierTurns } from "./earlier-turns.js";
import { ReplyBox } from "./reply-box.js";

const samplingStrategies = new Set(["best-of-n", "adaptive"]);

/** One run, live: what it was asked, what it did step by step, and the controls a person has over it. */
export function RunPage({ runId }: { runId: string }) {
  const stream = useRunStream(runId);
  const { run } = stream;
  if (!run) {
    return (
      <section>
        <p>
          <a href="#/">← Runs</a>
        </p>
        {stream.loadError ? <ErrorMessage message={stream.loadError} /> : <p className="muted">Loading run…</p>}
      </section>
    );
  }
  const strategyName = run.strategy?.name;
  return (
    <article className="run-page">
      <EarlierTurns run={run} turns={stream.turns} />
      <RunHeader run={run} connected={stream.connected} onChanged={stream.refresh} />
      <ErrorMessage message={stream.loadError ?? stream.streamError} />
      {run.error && (
        <p className="error" role="alert">
          {run.status === "failed" ? "The run failed" : "Error"} ({run.error.code}): {run.error.message}
        </p>
      )}
      {run.answer !== null && strategyName !== "research" && (
        <section className="answer" aria-label="Answer">
          <h2>{strategyName && samplingStrategies.has(strategyName) ? "Winner" : "Answer"}</h2>
          <div className="prose">{run.answer}</div>
        </section>
      )}
      {strategyName && samplingStrategies.has(strategyName) && <BestOfView run={run} />}
      {strategyName === "research" && <ResearchView run={run} items={stream.items} />}
      <ApprovalPanel run={run} items={stream.items} onDecided={stream.refresh} />
      <SteerBox run={run} />
      <RunTimeline runId={run.id} items={stream.items} stoppedCalls={run.interrupted ? run.calls_in_flight : undefined} />
      <TypingBlock text={stream.typingText} reasoning={stream.typingReasoning} />
      <ReplyBox run={run} />
    </article>
  );
}
