// The JSON the planner and the readers write, validated before anything trusts it: models
// (local ones especially) write broken or half-shaped JSON often enough that it must be checked.
import { z } from "zod";

export const planSchema = z.object({
  restated_question: z.string().trim().min(1),
  sub_questions: z
    .array(
      z.object({
        question: z.string().trim().min(1),
        /** What would answer it: the kind of source or fact the reader should look for. */
        look_for: z.string().trim().default(""),
      }),
    )
    .min(1),
});

export type Plan = z.infer<typeof planSchema>;

export const noteSchema = z.object({
  claim: z.string().trim().min(1),
  source_id: z.string().trim().min(1),
  quote: z.string().trim().min(1),
});

export type Note = z.infer<typeof noteSchema>;

export const readerNotesSchema = z.object({
  notes: z.array(noteSchema).default([]),
  /** Questions the reader found worth a look that its own sub-question does not cover. */
  follow_up: z.array(z.string().trim().min(1)).default([]),
  /** What the reader could not find. */
  missing: z.string().trim().default(""),
});

export type ReaderNotes = z.infer<typeof readerNotesSchema>;
