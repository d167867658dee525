// OpenAI's strict structured output takes a subset of JSON Schema: every object lists all of its
// properties as required and allows no others. A schema outside it would be refused by the
// provider mid-run; Ponder refuses it up front instead, saying where it breaks the rule.

/** The first place where `schema` leaves the strict subset, or undefined. */
export function strictSchemaProblem(schema: unknown, path = "(root)"): string | undefined {
  if (typeof schema !== "object" || schema === null) return undefined;
  if (Array.isArray(schema)) {
    for (const [index, entry] of schema.entries()) {
      const problem = strictSchemaProblem(entry, `${path}.${index}`);
      if (problem) return problem;
    }
    return undefined;
  }
  const node = schema as Record<string, unknown>;
  const properties = node.properties;
  if (node.type === "object" || (typeof properties === "object" && properties !== null)) {
    if (node.additionalProperties !== false) return `the object at ${path} must have "additionalProperties": false`;
    const names = Object.keys((properties ?? {}) as Record<string, unknown>);
    const required = Array.isArray(node.required) ? node.required : [];
    const missing = names.find((name) => !required.includes(name));
    if (missing !== undefined) return `the property "${missing}" at ${path} must be listed in "required" (make it nullable instead)`;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === "enum" || key === "const" || key === "default" || key === "examples") continue;
    const problem = strictSchemaProblem(value, path === "(root)" ? key : `${path}.${key}`);
    if (problem) return problem;
  }
  return undefined;
}
