import { z } from "zod";

/** Settings of read_file; every field has a default. */
export const readFileSettingsSchema = z
  .object({
    /** Characters per page of extracted text (default 10,000). */
    pageCharacters: z.number().int().min(1_000).optional(),
    /** Files larger than this are not read (default 50 MB); the model is pointed at the python tool instead. */
    maxBytes: z.number().int().positive().optional(),
  })
  .strict();

export type ReadFileSettings = z.infer<typeof readFileSettingsSchema>;
