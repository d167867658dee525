export { research } from "./research.js";
export type { ResearchOptions, ResearchResult } from "./research.js";
export type { ResearchEvent, ResearchEventSink, SubQuestionState } from "./research-events.js";
export type { ReportLength } from "./research-prompts.js";
export { reportLengths } from "./research-prompts.js";
export type { Plan, Note, ReaderNotes } from "./research-schemas.js";
export type { ResearchSources } from "./research-tools.js";
export type { UrlCitation } from "./url-citations.js";
