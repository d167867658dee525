// The research's citation ledger: every `source` item its reader runs recorded, one entry per
// source id, with the text that was really read. Notes are checked against it before the
// writer sees them, and the report against it after the writer wrote.
import { readFile } from "node:fs/promises";
import type { SourceItem } from "../../core/items.js";
import type { RunStore } from "../../store/run-store.js";
import type { Note } from "./research-schemas.js";

export type LedgerEntry = { sourceId: string; url: string; title: string; fetchedAt: string; contentHash: string; texts: string[] };

export type CheckedNote = Note & { subQuestion: string };

export type NoteCheck = { verified: CheckedNote[]; checked: number; dropped: { note: CheckedNote; reason: string }[] };

/** Shorter quotes ("the", "42") would match almost any page and prove nothing. */
const minimumQuoteLength = 12;

export class CitationLedger {
  private readonly entries = new Map<string, LedgerEntry>();

  /** Adds the sources of these runs (the readers), reading each source's stored text once. */
  async addRuns(store: RunStore, runIds: readonly string[]): Promise<void> {
    for (const runId of runIds) {
      const items = await store.listItems(runId);
      for (const { item } of items) if (item.type === "source") await this.add(item);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(sourceId: string): LedgerEntry | undefined {
    return this.entries.get(sourceId);
  }

  /** Every URL that was read, for the final check of the report. */
  urls(): Set<string> {
    return new Set([...this.entries.values()].map((entry) => entry.url));
  }

  /** Keeps the notes whose source was read and whose quote is in that source's text. */
  check(notes: readonly CheckedNote[]): NoteCheck {
    const verified: CheckedNote[] = [];
    const dropped: NoteCheck["dropped"] = [];
    for (const note of notes) {
      const entry = this.entries.get(note.source_id);
      const quote = normalise(note.quote);
      if (quote.length < minimumQuoteLength) dropped.push({ note, reason: "the quote is too short to check" });
      else if (!entry) dropped.push({ note, reason: `source ${note.source_id} was never read` });
      else if (!entry.texts.some((text) => text.includes(quote))) dropped.push({ note, reason: `the quote is not in ${note.source_id}` });
      else verified.push(note);
    }
    return { verified, checked: notes.length, dropped };
  }

  private async add(item: SourceItem): Promise<void> {
    const existing = this.entries.get(item.source_id);
    // The same page read by two readers (or read again after it changed) keeps every text read.
    if (existing?.contentHash === item.content_hash) return;
    const text = item.text_path ? normalise(await readFile(item.text_path, "utf8").catch(() => "")) : "";
    if (existing) existing.texts.push(text);
    else
      this.entries.set(item.source_id, {
        sourceId: item.source_id,
        url: item.url,
        title: item.title,
        fetchedAt: item.fetched_at,
        contentHash: item.content_hash,
        texts: [text],
      });
  }
}

/**
 * Lower case, one space for any run of whitespace, Markdown emphasis and typographic quotes
 * made plain: a quote copied from the Markdown a reader saw still matches the stored text.
 */
export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[*_`]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
