// Large tool outputs never flood the context: the whole output goes to a workspace file and the
// model reads its head and tail, with the file's name and how to read the rest.

import type { ContentPart } from "../../core/items.js";
import { logged, logger } from "../../logging/logger.js";
import { writeOffloadedOutput } from "../../tools/recall/offloaded-outputs.js";
import { ponderNoticePrefix } from "./context-view.js";

const log = logger("context");

/** Said by every offloaded output: how `recall` knows it may be needed. */
export const offloadedMarker = "the whole output is in the workspace file";

/** `limit` is the most characters kept in the context; longer text outputs are offloaded. */
export async function offloadLargeOutput(
  workspace: string,
  callId: string,
  content: string | ContentPart[],
  limit: number,
): Promise<string | ContentPart[]> {
  if (typeof content !== "string" || content.length <= limit) return content;
  let path: string;
  try {
    path = await writeOffloadedOutput(workspace, callId, content);
  } catch (error) {
    // The output is then cut where it is stored, as any oversized output is.
    logged(log, "warn", "a large tool output could not be saved to the workspace")(error);
    return content;
  }
  const head = content.slice(0, Math.floor(limit * 0.6));
  const tail = content.slice(content.length - Math.floor(limit * 0.3));
  const omitted = content.length - head.length - tail.length;
  return (
    `${head}\n\n${ponderNoticePrefix} ${omitted} characters of this output (${content.length} in all) are left out here; ` +
    `${offloadedMarker} ${path}. Read any part with recall (call_id "${callId}", offset) or read_file.\n\n${tail}`
  );
}
