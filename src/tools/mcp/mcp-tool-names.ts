import { createHash } from "node:crypto";

const maxToolNameLength = 64;

/**
 * The Ponder names of a server's tools: `<server>__<tool>`, within what every model API accepts
 * (`[a-zA-Z0-9_-]{1,64}`). Other characters become `_`. A name that had to be changed or cut and
 * then collides gets a short hash of the real name. Names already valid are given out first and
 * the rest in sorted order, so a tool keeps its name whatever order the server lists them in.
 * Returns real name → Ponder name.
 */
export function ponderToolNames(server: string, tools: readonly string[]): Map<string, string> {
  const plainOf = (tool: string) => `${server}__${tool.replace(/[^a-zA-Z0-9_-]/g, "_") || "tool"}`;
  const isKept = (tool: string) => plainOf(tool) === `${server}__${tool}` && plainOf(tool).length <= maxToolNameLength;
  const ordered = [...new Set(tools)].sort(
    (left, right) => Number(isKept(right)) - Number(isKept(left)) || (left < right ? -1 : left > right ? 1 : 0),
  );
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const tool of ordered) {
    const plain = plainOf(tool);
    let name = plain;
    if (plain.length > maxToolNameLength || taken.has(plain)) {
      const suffix = `_${createHash("sha256").update(tool).digest("hex").slice(0, 8)}`;
      name = `${plain.slice(0, maxToolNameLength - suffix.length)}${suffix}`;
    }
    taken.add(name);
    names.set(tool, name);
  }
  return names;
}
