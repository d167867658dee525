// How a failed schema check (zod's issues) is put into words, the same everywhere: the config
// file, datasets, API bodies, a model's JSON reply.

export type SchemaIssue = { readonly path: readonly PropertyKey[]; readonly message: string };

/** `tools.0.name`: the issue's path, dotted; "" for the value itself. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/** One `path: message` per issue; `root` names the value itself when the issue is about all of it. */
export function describeIssues(issues: readonly SchemaIssue[], root = "(top level)"): string[] {
  return issues.map((issue) => `${issuePath(issue.path) || root}: ${issue.message}`);
}
