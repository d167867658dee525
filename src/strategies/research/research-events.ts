// What research reports while it works, beside its child runs' events: the plan, each
// sub-question's state, the citation check and the saved report. `runId` is the research's
// parent run.
import type { RunEvent } from "../../core/events.js";
import type { StrategyEvent } from "../strategy-events.js";

export type SubQuestionState = "queued" | "reading" | "done" | "no_notes" | "skipped";

export type ResearchEvent =
  /** What the readers search, in words ("OpenAI's hosted web search", "the local document index"): said before anything is read. */
  | { type: "research-sources"; runId: string; searched: string[] }
  | { type: "research-planned"; runId: string; restatedQuestion: string; subQuestions: string[]; round: number }
  | {
      type: "sub-question-updated";
      runId: string;
      round: number;
      index: number;
      question: string;
      state: SubQuestionState;
      notes?: number;
      childId?: string;
    }
  | { type: "readers-stopped"; runId: string; reason: string }
  | { type: "notes-checked"; runId: string; checked: number; verified: number; dropped: number; sources: number }
  | { type: "report-saved"; runId: string; markdownPath: string; htmlPath: string };

export type ResearchEventSink = (event: RunEvent | StrategyEvent | ResearchEvent) => void;
