import type { RunResource } from "../run-resources.js";
import type { ExtractedDocument } from "./extract-text.js";

/** A document a run has read, kept so paging and searching it need no second fetch or extraction. */
export type CachedDocument = {
  /** Where the text came from (after redirects, for pages). */
  url: string;
  mediaType: string;
  document: ExtractedDocument;
  /** Things the model should know about how it was read (cut at the size limit, redirected). */
  notes: string[];
  /** What makes the entry stale, when the source can change under it (a file's size and mtime). */
  version?: string;
};

/**
 * Per-run documents by key (a URL, a workspace path). The least recently used are dropped once
 * the cache holds more than `maxCharacters` of text, so a run that reads hundreds of pages does
 * not keep them all in memory; a dropped document is simply fetched again.
 */
export class DocumentCache implements RunResource {
  private readonly entries = new Map<string, CachedDocument>();
  private readonly loading = new Map<string, Promise<CachedDocument>>();
  private characters = 0;

  constructor(private readonly maxCharacters = 20_000_000) {}

  get(key: string): CachedDocument | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /**
   * One load per key at a time: a model often calls read_page and find_in_page on the same URL
   * in one turn, and those calls share a single download.
   */
  loadOnce(key: string, load: () => Promise<CachedDocument>): Promise<CachedDocument> {
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load().finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  set(key: string, entry: CachedDocument): void {
    this.delete(key);
    this.entries.set(key, entry);
    this.characters += entry.document.text.length;
    for (const [oldest, value] of this.entries) {
      if (this.characters <= this.maxCharacters || oldest === key) break;
      this.entries.delete(oldest);
      this.characters -= value.document.text.length;
    }
  }

  private delete(key: string): void {
    const previous = this.entries.get(key);
    if (!previous) return;
    this.entries.delete(key);
    this.characters -= previous.document.text.length;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.loading.clear();
    this.characters = 0;
  }
}
