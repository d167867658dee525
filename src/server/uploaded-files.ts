import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";

/** A file sent with `POST /v1/runs`: its name and its bytes as base64 (what a browser's FileReader gives). */
export const uploadedFileSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(200)
    .refine((name) => !/[/\\\0]/.test(name) && name !== "." && name !== "..", "a plain file name, without folders"),
  data: z.base64(),
});

export type UploadedFile = z.infer<typeof uploadedFileSchema>;

/**
 * Writes the files to a private temporary folder and hands their paths to `use`, which copies them
 * into the run's workspace (as `ponder ask --file` does); the folder is removed afterwards.
 */
export async function withUploadedFiles<T>(files: UploadedFile[], use: (paths: string[]) => Promise<T>): Promise<T> {
  if (files.length === 0) return use([]);
  const folder = await mkdtemp(join(tmpdir(), "ponder-upload-"));
  try {
    const paths: string[] = [];
    // One subfolder per file, so two files of the same name keep their own contents.
    for (const [index, file] of files.entries()) {
      const path = join(folder, String(index), file.name);
      await mkdir(dirname(path), { mode: 0o700 });
      await writeFile(path, Buffer.from(file.data, "base64"), { flag: "wx", mode: 0o600 });
      paths.push(path);
    }
    return await use(paths);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
