// Eval datasets: JSONL (one object a line) or CSV (a header row). Every item is validated with
// zod and a bad one is reported with its line number, so a 10,000-line file is fixable.
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, extname, isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { ConfigError, errorMessage } from "../core/errors.js";
import { describeIssues } from "../core/schema-issues.js";
import { parseCsv } from "./csv.js";

const stringList = z.union([z.array(z.string()), z.string()]).transform((value) =>
  typeof value === "string"
    ? value
        .split(/[;|]/)
        .map((part) => part.trim())
        .filter(Boolean)
    : value,
);

export const datasetItemSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  input: z.string({ error: (issue) => (issue.input === undefined ? "required" : "must be text") }).min(1, "must not be empty"),
  target: z
    .union([z.string(), z.number(), z.array(z.string())])
    .transform((value) => (typeof value === "number" ? String(value) : value))
    .optional(),
  files: stringList.optional(),
  images: stringList.optional(),
  tags: stringList.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export type DatasetItem = {
  id: string;
  input: string;
  /** Several targets: any one matching passes. */
  target?: string | string[];
  files: string[];
  images: string[];
  tags: string[];
  metadata: Record<string, unknown>;
};

export type Dataset = {
  path: string;
  items: DatasetItem[];
  /** sha256 of the file: resume refuses a dataset that changed. */
  hash: string;
  /** A string that marks the dataset's text, so its presence in a model's training data can be detected. */
  canary?: string;
};

export class DatasetError extends ConfigError {
  constructor(path: string, problems: string[]) {
    super(
      `${path}: ${problems.length} problem${problems.length === 1 ? "" : "s"}, nothing was run:\n${problems.slice(0, 50).join("\n")}` +
        (problems.length > 50 ? `\n… and ${problems.length - 50} more` : ""),
      "Each item needs `input` (text); `target`, `files`, `images`, `tags`, `metadata` are optional.",
    );
  }
}

export async function loadDataset(path: string): Promise<Dataset> {
  const text = await readFile(path, "utf8").catch((error: unknown) => {
    const code = (error as { code?: string }).code;
    throw new ConfigError(
      code === "ENOENT" ? `The dataset ${path} does not exist.` : `The dataset ${path} cannot be read: ${errorMessage(error)}`,
      'Give a JSONL or CSV file (one item a line: {"input": "...", "target": "..."}), or `builtin`.',
    );
  });
  const raw = extname(path).toLowerCase() === ".csv" ? csvObjects(text) : jsonlObjects(text);
  const problems: string[] = [];
  const items: DatasetItem[] = [];
  const seen = new Set<string>();
  let canary: string | undefined;
  for (const { line, value, error } of raw) {
    if (error) {
      problems.push(`line ${line}: ${error}`);
      continue;
    }
    // A line with a canary and no input is the dataset's header, not an item.
    if (isCanaryLine(value)) {
      canary = value.canary;
      continue;
    }
    const parsed = datasetItemSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(`line ${line}: ${describeIssues(parsed.error.issues, "item").join("; ")}`);
      continue;
    }
    const id = parsed.data.id ?? `item-${items.length + 1}`;
    if (seen.has(id)) problems.push(`line ${line}: id ${id} is used twice`);
    seen.add(id);
    // Attachments are relative to the dataset file, so a dataset folder can be moved whole.
    const local = (file: string) => (isAbsolute(file) ? file : resolve(dirname(path), file));
    const files = (parsed.data.files ?? []).map(local);
    const images = (parsed.data.images ?? []).map(local);
    // Checked now, every one: a missing file found mid-run would waste the samples before it.
    for (const file of [...files, ...images]) {
      const problem = attachmentProblem(file);
      if (problem) problems.push(`line ${line}: ${problem}`);
    }
    items.push({
      id,
      input: parsed.data.input,
      ...(parsed.data.target === undefined ? {} : { target: parsed.data.target }),
      files,
      images,
      tags: parsed.data.tags ?? [],
      metadata: parsed.data.metadata ?? {},
    });
  }
  if (problems.length > 0) throw new DatasetError(path, problems);
  if (items.length === 0) throw new DatasetError(path, ["the file has no items"]);
  canary ??= items.map((item) => item.metadata.canary).find((value): value is string => typeof value === "string");
  return { path: resolve(path), items, hash: createHash("sha256").update(text).digest("hex"), ...(canary ? { canary } : {}) };
}

function isCanaryLine(value: unknown): value is { canary: string } {
  return typeof value === "object" && value !== null && "canary" in value && typeof value.canary === "string" && !("input" in value);
}

type RawItem = { line: number; value?: unknown; error?: string };

function jsonlObjects(text: string): RawItem[] {
  return text.split("\n").flatMap((content, index): RawItem[] => {
    if (!content.trim()) return [];
    try {
      return [{ line: index + 1, value: JSON.parse(content) }];
    } catch (error) {
      return [{ line: index + 1, error: `not valid JSON (${error instanceof Error ? error.message : String(error)})` }];
    }
  });
}

/** CSV columns map to item fields; `metadata.x` columns and unknown columns go to metadata. */
function csvObjects(text: string): RawItem[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const known = new Set(["id", "input", "target", "files", "images", "tags"]);
  return rows.map(({ line, fields }) => {
    if (fields.length !== header.fields.length) return { line, error: `${fields.length} columns, the header has ${header.fields.length}` };
    const value: Record<string, unknown> = {};
    const metadata: Record<string, string> = {};
    header.fields.forEach((name, index) => {
      const cell = fields[index] as string;
      if (known.has(name)) {
        if (cell !== "") value[name] = cell;
      } else metadata[name.replace(/^metadata\./, "")] = cell;
    });
    return { line, value: { ...value, ...(Object.keys(metadata).length > 0 ? { metadata } : {}) } };
  });
}

function attachmentProblem(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? undefined : `${file} is not a file`;
  } catch {
    return `the file ${file} does not exist (attachments are relative to the dataset's folder)`;
  }
}
