import { activeStatuses } from "../api/api-types.js";
import { useFollowNewest } from "../hooks/use-follow-newest.js";
import { useRunStream } from "../hooks/use-run-stream.js";
import { ApprovalPanel } from "./approval-panel.js";
import { BestOfView } from "./best-of-view.js";
import { EarlierTurns } from "./earlier-turns.js";
import { ErrorMessage } from "./error-message.js";
import { EvalView } from "./eval-view.js";
import { MarkdownText } from "./markdown-text.js";
import { ReplyBox } from "./reply-box.js";
import { ResearchView } from "./research-view.js";
import { RunHeader } from "./run-header.js";
import { RunTimeline } from "./run-timeline.js";
import { SteerBox } from "./steer-box.js";
import { TypingBlock } from "./typing-block.js";

const samplingStrategies = new Set(["best-of-n", "adaptive"]);

/**
 * One run, live: what it was asked, the decisions waiting on a person (first, so a phone shows
 * them without scrolling), its answer, what it did step by step, and the controls a person has.
 * While it runs, the page follows its newest step unless the reader scrolled up.
 */
export function RunPage({ runId }: { runId: string }) {
  const stream = useRunStream(runId);
  const { run } = stream;
  const live = run !== undefined && activeStatuses.includes(run.status) && !run.interrupted && !run.strategy;
  const follow = useFollowNewest(live, `${stream.items.length}:${stream.typingText.length}:${stream.typingReasoning.length}`);
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
  const sampling = strategyName !== undefined && samplingStrategies.has(strategyName);
  const answer = run.answer?.trim() && strategyName !== "research" && strategyName !== "eval" ? run.answer : undefined;
  return (
    <article className="run-page">
      <EarlierTurns run={run} turns={stream.turns} />
      {strategyName === "eval" ? (
        <EvalView run={run} connected={stream.connected} onChanged={stream.refresh} />
      ) : (
        <RunHeader run={run} connected={stream.connected} onChanged={stream.refresh} />
      )}
      <ApprovalPanel run={run} items={stream.items} onDecided={stream.refresh} />
      <ErrorMessage message={stream.loadError ?? stream.streamError} />
      {run.error && (
        <p className="error" role="alert">
          {run.status === "failed" ? "The run failed" : "Error"} ({run.error.code}): {run.error.message}
        </p>
      )}
      {answer && (
        <section className="answer" aria-label="Answer">
          <h2>{sampling ? "Winner" : "Answer"}</h2>
          <MarkdownText text={answer} />
        </section>
      )}
      {sampling && <BestOfView run={run} />}
      {strategyName === "research" && <ResearchView run={run} items={stream.items} />}
      <SteerBox run={run} />
      {strategyName !== "eval" && (
        <RunTimeline
          runId={run.id}
          items={stream.items}
          steps={stream.steps}
          stoppedCalls={run.interrupted ? run.calls_in_flight : undefined}
          shownAbove={strategyName === "research" ? (run.answer ?? undefined) : undefined}
        />
      )}
      <TypingBlock text={stream.typingText} reasoning={stream.typingReasoning} />
      <ReplyBox run={run} />
      {live && !follow.following && (
        <button type="button" className="jump-newest" onClick={follow.jump}>
          ↓ Newest step
        </button>
      )}
    </article>
  );
}
