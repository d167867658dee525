import type { Item } from "../core/items.js";
import { newId } from "../core/ids.js";
import type { RequestEntry } from "./input-items.js";

/** The hosted-tool item types Ponder lists its own calls as (hosted-tool-items.ts). */
export const hostedInputTypes = new Set(["code_interpreter_call", "web_search_call", "mcp_call"]);

/**
 * A hosted-tool item a client sends back that is not one of Ponder's stored calls (another
 * server's, or edited): the call and what is known of its result, as a call and output the model
 * reads. Ponder's own are found by id instead (item-references.ts), with their full output.
 */
export function hostedInputItems(entry: RequestEntry): Item[] {
  const call_id = `call_${newId("hosted").slice(-16)}`;
  const call = (name: string, args: unknown): Item => ({
    type: "function_call",
    id: newId("fc"),
    call_id,
    name,
    arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}),
  });
  const output = (text: string): Item => ({ type: "function_call_output", id: newId("fco"), call_id, output: text });
  if (entry.type === "code_interpreter_call") {
    const outputs = Array.isArray(entry.outputs) ? (entry.outputs as Record<string, unknown>[]) : [];
    const logs = outputs.flatMap((part) => (part?.type === "logs" && typeof part.logs === "string" ? [part.logs] : []));
    return [call("python", { code: typeof entry.code === "string" ? entry.code : "" }), output(logs.join("\n"))];
  }
  if (entry.type === "mcp_call") {
    const label = typeof entry.server_label === "string" && entry.server_label !== "ponder" ? `${entry.server_label}__` : "";
    const result = typeof entry.output === "string" ? entry.output : typeof entry.error === "string" ? `Error: ${entry.error}` : "";
    return [call(`${label}${typeof entry.name === "string" ? entry.name : "tool"}`, entry.arguments), output(result)];
  }
  const action = (entry.action ?? {}) as Record<string, unknown>;
  const name = action.type === "open_page" ? "read_page" : action.type === "find_in_page" ? "find_in_page" : "web_search";
  const args =
    name === "web_search"
      ? { query: action.query ?? "" }
      : name === "read_page"
        ? { url: action.url }
        : { url: action.url, query: action.pattern };
  return [call(name, args), output("(What this call returned was not sent back.)")];
}
