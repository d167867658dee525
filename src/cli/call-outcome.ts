import type { ToolErrorKind } from "../core/items.js";
import { style } from "./format.js";

/** What the terminal says of a call that was running when its process stopped. */
export const unknownOutcomeLabel = "outcome unknown: the process stopped while this call ran";

/**
 * The mark before a tool output in the terminal: ✓, or ✗ with the error kind; a call whose
 * outcome is unknown says so in words, since the model was told to check before repeating it.
 */
export function outcomeMark(errorKind: ToolErrorKind | undefined): string {
  if (errorKind === "unknown_outcome") return style.yellow(`? ${unknownOutcomeLabel} (not run again)`);
  return errorKind ? style.red(`✗ ${errorKind}`) : style.green("✓");
}
