// research: a planner run splits the question, reader runs (in parallel, in rounds) search,
// read and take notes tied to quoted passages, every note is checked against the sources that
// were really read, and a writer run turns the verified notes into a cited report, saved as
// Markdown and self-contained HTML artifacts of the research's parent run.
import { basename } from "node:path";
import type { Budget } from "../../core/budget.js";
import { errorMessage, PonderError } from "../../core/errors.js";
import type { RunStatus } from "../../core/run.js";
import { modelFromSettings } from "../../config/model-from-settings.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { budgetStopConditions } from "../../loop/stop-conditions.js";
import type { ModelClient } from "../../models/model-client.js";
import { costOf } from "../../models/prices.js";
import type { RunStore } from "../../store/run-store.js";
import { leaseStore } from "../../store/store-lease.js";
import { pythonTool } from "../../tools/python/index.js";
import type { AnyTool } from "../../tools/tool.js";
import { ParentRun } from "../parent-run.js";
import { RateLimitGate, SharedModelClient } from "../shared-model-client.js";
import { StrategyRuns, type ChildBase } from "../strategy-runs.js";
import { CitationLedger, type CheckedNote } from "./citation-ledger.js";
import { planResearch } from "./planner.js";
import { ResearchBudget } from "./research-budget.js";
import { checkReport, reportFooter } from "./report-check.js";
import { saveReport } from "./report-files.js";
import type { ResearchEventSink } from "./research-events.js";
import type { NumberedSource, ReportLength, WriterNote } from "./research-prompts.js";
import { runRounds } from "./research-rounds.js";
import type { Plan } from "./research-schemas.js";
import { researchTools, shareResearchTools, type ResearchSources } from "./research-tools.js";
import { urlCitations, type UrlCitation } from "./url-citations.js";
import { writeReport, type WriterOutcome } from "./writer.js";

export type ResearchOptions = Omit<ChildBase, "tools"> & {
  model?: string | ModelClient;
  length?: ReportLength;
  /** Where readers search: the configured web backend, the local index, or both (default both). */
  sources?: ResearchSources;
  /** The readers' tools instead of those `sources` selects (search, read_page, find_in_page). */
  tools?: AnyTool[];
  /** Sub-questions per round (default 4). */
  breadth?: number;
  /** Rounds of readers: the first from the plan, later ones from readers' follow-ups (default 2). */
  depth?: number;
  /** Readers at once (default 4). */
  concurrency?: number;
  /** Model turns per reader (default 8). */
  readerSteps?: number;
  /** The writer may make charts with the python tool (default true). */
  charts?: boolean;
  /** Tokens, cost and time for the whole research, every child run included. */
  totalBudget?: Budget;
  /** Shown the plan before readers start; returns the plan to use (a TTY editor, a confirmation). */
  reviewPlan?: (plan: Plan) => Promise<Plan>;
  store?: RunStore;
  /** Run as this stored queued run (one the server or `ponder submit` created) instead of a new parent run. */
  runId?: string;
  signal?: AbortSignal;
  onEvent?: ResearchEventSink;
};

export type ResearchResult = {
  runId: string;
  status: RunStatus;
  report: string;
  markdownPath: string;
  htmlPath: string;
  plan: Plan;
  claims: { checked: number; verified: number; dropped: { claim: string; sourceId: string; reason: string }[] };
  sourcesRead: number;
  /** One `url_citation` per [n] marker in `report`, with the read source it stands for. */
  annotations: UrlCitation[];
  /** Citations, links and images removed from the writer's text by the final check. */
  removedFromReport: number;
  /** Set when the readers were stopped by the budget or the deadline. */
  readersStopped?: string;
  writerFellBack: boolean;
  /** How the report was written, and how many of its texts were cut off (continued, or trimmed). */
  writer: { mode: WriterOutcome["mode"]; continued: number; trimmed: number };
  /** Queries sent, repeats answered from memory, and what was searched (as the `research-sources` event said). */
  search: { queriesSent: number; repeatsCut: number; searched: string[] };
  /** Why the research is not completed although a report was written: no claim in it could be verified. */
  failure?: string;
  usage: ParentRun["usage"];
};

export async function research(question: string, options: ResearchOptions = {}): Promise<ResearchResult> {
  const {
    model: modelOption,
    length = "page",
    sources = "both",
    tools: toolsOption,
    breadth = 4,
    depth = 2,
    concurrency = 4,
    readerSteps = 8,
    charts = true,
    totalBudget = {},
    reviewPlan,
    store: storeOption,
    runId,
    signal,
    onEvent,
    ...base
  } = options;
  const settings = resolveSettings(
    {
      model: typeof modelOption === "string" ? modelOption : undefined,
      effort: base.effort,
      home: base.home,
      configPath: base.configPath,
      unsafeNoSandbox: base.unsafeNoSandbox,
    },
    base.env ?? process.env,
    base.cwd ?? process.cwd(),
  );
  const inner = await modelFromSettings(modelOption, settings);
  const chosen = toolsOption
    ? { tools: toolsOption, searched: toolsOption.filter((tool) => /search/.test(tool.name)).map((tool) => tool.name) }
    : researchTools(sources, settings.toolSettings, inner.id);
  const toolbox = shareResearchTools(chosen.tools);
  const { store, release: releaseStore } = leaseStore(storeOption, settings);
  const budget = new ResearchBudget(totalBudget, signal);
  const ledger = budget.ledger;
  const model = new SharedModelClient(inner, {
    gate: new RateLimitGate(),
    ledger,
    costOf: (usage) => costOf(inner.id, usage, settings.prices).costUsd,
  });
  const parent = await ParentRun.create(
    store,
    {
      model: model.id,
      input: question,
      effort: base.effort ?? settings.effort,
      budget: totalBudget,
      tools: toolbox.tools.map((tool) => tool.name),
      strategy: {
        name: "research",
        settings: { length, sources, searched: chosen.searched.join("; "), breadth, depth, concurrency, readerSteps },
      },
    },
    runId,
    base.leaseMs,
    signal,
  ).catch(async (error: unknown) => {
    // Not started: what the finally below releases for a started research is released here.
    budget.close();
    await toolbox.close();
    await releaseStore();
    throw error;
  });
  const mainRuns = new StrategyRuns({ parent, store, signal: budget.everything.signal, base, ledger, emit: onEvent });
  const readerRuns = new StrategyRuns({
    parent,
    store,
    signal: budget.readers.signal,
    base: { ...base, stopConditions: [...(base.stopConditions ?? budgetStopConditions), budget.readersStop] },
    ledger,
    emit: onEvent,
  });
  try {
    onEvent?.({ type: "research-sources", runId: parent.id, searched: chosen.searched });
    const planned = await planResearch(question, { runs: mainRuns, model, breadth, index: 0 });
    const plan = reviewPlan ? await reviewPlan(planned.plan) : planned.plan;
    onEvent?.({
      type: "research-planned",
      runId: parent.id,
      restatedQuestion: plan.restated_question,
      subQuestions: plan.sub_questions.map((sub) => sub.question),
      round: 0,
    });
    const rounds = await runRounds({
      parentId: parent.id,
      question: plan.restated_question,
      plan,
      readerRuns,
      plannerRuns: mainRuns,
      model,
      tools: toolbox.tools,
      breadth,
      depth,
      concurrency,
      readerSteps,
      readersMayGo: () => budget.readersMayGo(),
      emit: onEvent,
    });
    const readersStopped = budget.readersStopped;
    if (readersStopped) onEvent?.({ type: "readers-stopped", runId: parent.id, reason: readersStopped });

    const ledgerOfSources = new CitationLedger();
    await ledgerOfSources.addRuns(
      store,
      readerRuns.children.map((child) => child.runId),
    );
    const claims = rounds.readers.flatMap((reader) =>
      reader.notes.notes.map((note): CheckedNote => ({ ...note, subQuestion: reader.subQuestion })),
    );
    const checked = ledgerOfSources.check(claims);
    onEvent?.({
      type: "notes-checked",
      runId: parent.id,
      checked: checked.checked,
      verified: checked.verified.length,
      dropped: checked.dropped.length,
      sources: ledgerOfSources.size,
    });

    const numbered = numberSources(checked.verified, ledgerOfSources);
    const notes: WriterNote[] = checked.verified.map((note) => ({
      subQuestion: note.subQuestion,
      claim: note.claim,
      quote: note.quote,
      number: numbered.get(note.source_id)?.number ?? 0,
    }));
    const missing = [
      ...(readersStopped ? [`The readers were stopped because ${readersStopped}; what they had not read yet is missing.`] : []),
      ...rounds.skipped.map((sub) => `Not researched (no budget left): ${sub}`),
      ...rounds.readers
        .filter((reader) => !checked.verified.some((note) => note.subQuestion === reader.subQuestion))
        .map((reader) => `No verified evidence for: ${reader.subQuestion}`),
      ...rounds.readers.flatMap((reader) => (reader.notes.missing ? [`${reader.subQuestion}: ${reader.notes.missing}`] : [])),
      ...rounds.readers.flatMap((reader) =>
        reader.notesError ? [`${reader.subQuestion}: the reader's notes could not be used (${reader.notesError})`] : [],
      ),
    ];
    const written = await writeReport({
      runs: mainRuns,
      store,
      model,
      question,
      length,
      notes,
      sources: [...numbered.values()],
      missing,
      chartTools: charts ? [pythonTool] : [],
    });
    const reportCheck = checkReport({
      markdown: written.markdown,
      sources: [...numbered.values()],
      readUrls: ledgerOfSources.urls(),
      images: new Set(written.images.map((image) => basename(image.path))),
    });
    const fetchedAt = new Map([...numbered.keys()].map((sourceId) => [sourceId, ledgerOfSources.get(sourceId)?.fetchedAt ?? ""]));
    const report = `${reportCheck.markdown}${reportFooter({ claimsChecked: checked.checked, claimsDropped: checked.dropped.length, check: reportCheck, fetchedAt })}`;
    const saved = await saveReport(store, parent.id, settings.home, report, plan.restated_question, written.images);
    onEvent?.({ type: "report-saved", runId: parent.id, markdownPath: saved.markdownPath, htmlPath: saved.htmlPath });

    // A report without one verified note says nothing it can back: never a completed research.
    const unsupported =
      checked.verified.length === 0
        ? `No claim could be checked against a source that was read (${checked.checked} claimed, ${ledgerOfSources.size} sources read, searching ${chosen.searched.join(" and ") || "nothing"}).`
        : undefined;
    const status: RunStatus = budget.cancelledByUser ? "cancelled" : unsupported ? "failed" : "completed";
    const exhausted = ledger?.exhausted ?? readersStopped;
    const summary = `Research: ${rounds.readers.length} readers in ${rounds.rounds} round(s), ${ledgerOfSources.size} sources read, ${checked.checked} claims checked, ${checked.dropped.length} dropped${written.fellBack ? "; the report was assembled from the notes (no writer answered)" : ""}.`;
    const record = await parent.finish(
      status,
      {
        answer: report,
        stopReason: status === "cancelled" ? "cancelled" : "answered",
        ...(exhausted ? { budgetExhausted: exhausted } : {}),
      },
      summary,
      status === "failed" && unsupported ? { code: "no_verified_evidence", message: unsupported } : undefined,
    );
    return {
      runId: parent.id,
      status,
      report,
      markdownPath: saved.markdownPath,
      htmlPath: saved.htmlPath,
      plan,
      claims: {
        checked: checked.checked,
        verified: checked.verified.length,
        dropped: checked.dropped.map(({ note, reason }) => ({ claim: note.claim, sourceId: note.source_id, reason })),
      },
      sourcesRead: ledgerOfSources.size,
      annotations: urlCitations(reportCheck.markdown, reportCheck.cited),
      removedFromReport: reportCheck.citationsRemoved + reportCheck.urlsRemoved + reportCheck.imagesRemoved,
      ...(readersStopped ? { readersStopped } : {}),
      writerFellBack: written.fellBack,
      writer: { mode: written.mode, continued: written.continued, trimmed: written.trimmed },
      search: { ...toolbox.stats, searched: chosen.searched },
      ...(status === "failed" && unsupported ? { failure: unsupported } : {}),
      usage: record.usage,
    };
  } catch (error) {
    budget.everything.abort();
    await parent.finish(budget.cancelledByUser ? "cancelled" : "failed", undefined, `The research stopped: ${errorMessage(error)}`, {
      code: error instanceof PonderError ? error.code : "internal_error",
      message: errorMessage(error),
    });
    throw error;
  } finally {
    budget.close();
    await toolbox.close();
    await releaseStore();
  }
}

/** Numbers the sources of verified notes 1, 2, ... in the order the notes first cite them. */
function numberSources(notes: readonly CheckedNote[], ledger: CitationLedger): Map<string, NumberedSource> {
  const numbered = new Map<string, NumberedSource>();
  for (const note of notes) {
    const entry = ledger.get(note.source_id);
    if (!entry || numbered.has(note.source_id)) continue;
    numbered.set(note.source_id, { number: numbered.size + 1, sourceId: entry.sourceId, url: entry.url, title: entry.title });
  }
  return numbered;
}
