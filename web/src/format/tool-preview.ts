// The few lines of a tool call's input and output that show what it did without opening it.

const previewLines = 6;
const previewCharacters = 600;

export type Preview = { text: string; cut: boolean };

/** The first lines of a text, and whether there is more. */
export function previewOf(text: string, lines = previewLines): Preview {
  const trimmed = text.replace(/^\s*\n/, "").trimEnd();
  const kept = trimmed.split("\n").slice(0, lines).join("\n");
  const short = kept.length > previewCharacters ? `${kept.slice(0, previewCharacters - 1)}…` : kept;
  return { text: short, cut: short.length < trimmed.length };
}

/**
 * A call's arguments as a person reads them: a single text argument (Python code, a query, a
 * URL) as written, several as `name: value` lines; anything that is not a JSON object as written.
 */
export function argumentsPreview(argumentsText: string): Preview {
  const parsed = objectOf(argumentsText);
  if (!parsed) return previewOf(argumentsText);
  const entries = Object.entries(parsed);
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only && typeof only[1] === "string") return previewOf(only[1]);
  return previewOf(entries.map(([name, value]) => `${name}: ${typeof value === "string" ? value : JSON.stringify(value)}`).join("\n"));
}

export function objectOf(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
