import { z } from "zod";
import { defaultPageCharacters } from "../../documents/paged-text.js";
import { definedFields } from "../../../core/defined-fields.js";

/** Settings of read_page and find_in_page; every field has a default. */
export const readPageSettingsSchema = z
  .object({
    /** Whole fetch, body included, per URL. */
    timeoutMs: z.number().int().positive().optional(),
    /** Bytes read from one response; a longer body is cut there and the model is told. */
    maxBytes: z.number().int().positive().optional(),
    maxRedirects: z.number().int().min(0).max(20).optional(),
    /** Characters per page of extracted text. */
    pageCharacters: z.number().int().min(1_000).optional(),
    userAgent: z.string().min(1).optional(),
  })
  .strict();

export type ReadPageSettings = z.infer<typeof readPageSettingsSchema>;

export type ResolvedReadPageSettings = Required<ReadPageSettings>;

export const defaultReadPageSettings: ResolvedReadPageSettings = {
  timeoutMs: 20_000,
  maxBytes: 10 * 1024 * 1024,
  maxRedirects: 5,
  pageCharacters: defaultPageCharacters,
  userAgent: "Mozilla/5.0 (compatible; Ponder/0.1; reads pages for a research assistant)",
};

export function resolveReadPageSettings(settings: ReadPageSettings = {}): ResolvedReadPageSettings {
  return { ...defaultReadPageSettings, ...definedFields(settings) };
}
