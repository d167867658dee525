import type { ToolErrorKind } from "../core/items.js";
import { style } from "./format.js";

/** What the terminal says of a call that was running when its process stopped. */
export const unknownOutcomeLabel = "outcome unknown: the process stopped while this call ran";

/**
 * The mark before a tool output in the terminal: ✓, or ✗ with the error kind, or ✗ failed when
 * the tool ran but reports that the work failed (a Python traceback: its output starts "Error");
 * a call whose outcome is unknown says so in words, since the model was told to check before
 * repeating it.
 */
export function outcomeMark(errorKind: ToolErrorKind | undefined, outputText = ""): string {
  if (errorKind === "unknown_outcome") return style.yellow(`? ${unknownOutcomeLabel} (not run again)`);
  if (errorKind) return style.red(`✗ ${errorKind}`);
  return /^Error\b/.test(outputText) ? style.red("✗ failed") : style.green("✓");
}
