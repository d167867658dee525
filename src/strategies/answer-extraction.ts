// Final answers are pulled out of a sample's text and normalised, so that "1,234 km",
// "**Final answer:** 1234" and "\boxed{1234}" vote together. Pure functions, no I/O.

/** The part of a sample's text that states its final answer. */
export function extractFinalAnswer(text: string): string {
  const boxed = lastBoxed(text);
  if (boxed !== undefined) return boxed.trim();
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  // The last "final answer:" line wins: models sometimes restate a corrected answer at the end.
  for (let index = lines.length - 1; index >= 0; index--) {
    const match = /^(?:[#>*_\s]*)(?:final answer|answer)\s*(?:is)?\s*[*_]*\s*[:：]\s*[*_]*\s*(.*)$/i.exec(lines[index] as string);
    if (match) {
      const rest = (match[1] ?? "").trim();
      // "Final answer:" alone on its line announces the next line.
      return rest || (lines[index + 1] ?? "");
    }
  }
  return text.trim();
}

/** The content of the last `\boxed{...}`, braces balanced, or undefined. */
function lastBoxed(text: string): string | undefined {
  const start = text.lastIndexOf("\\boxed{");
  if (start === -1) return undefined;
  let depth = 0;
  for (let index = start + "\\boxed".length; index < text.length; index++) {
    if (text[index] === "{") depth++;
    else if (text[index] === "}" && --depth === 0) return text.slice(start + "\\boxed{".length, index);
  }
  return undefined;
}

const numberPattern = /^[-+−]?[$€£]?\s*(?:\d{1,3}(?:[,\u2009\u202f ]\d{3})+|\d+)?(?:\.\d+)?(?:e[-+]?\d+)?$/i;
/** Words and symbols that may follow a number without changing which number it is. */
const unitPattern = /^(?:%|percent|per cent|[a-zµ°²³/$€£]{1,12}(?:\s[a-z²³/]{1,12})?)$/i;

/**
 * The key answers are compared by: a number becomes its canonical decimal form (units and
 * thousands separators dropped, a percent keeps its sign), text is lower-cased with markup,
 * surrounding punctuation and extra whitespace removed.
 */
export function normaliseAnswer(answer: string): string {
  const text = stripMarkup(answer);
  const number = numericKey(text);
  if (number !== undefined) return number;
  return text
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/^[\s"'“”‘’.,;:!?]+|[\s"'“”‘’.,;:!?]+$/g, "");
}

/** Whether an answer is short enough that normalised equality decides equivalence. */
export function isShortAnswer(key: string): boolean {
  return key.length <= 80 && key.split(" ").length <= 10;
}

function stripMarkup(answer: string): string {
  return answer
    .replace(/\\(?:text|mathrm|textbf|mathbf)\{([^{}]*)\}/g, "$1")
    .replace(/\\d?frac\{([^{}]*)\}\{([^{}]*)\}/g, "$1/$2")
    .replace(/\\[,;!]|\\left|\\right|\$|\*\*|__|`/g, "")
    .replace(/\\%/g, "%")
    .trim();
}

function numericKey(text: string): string | undefined {
  const fraction = /^([-+]?\d+)\s*\/\s*(\d+)$/.exec(text);
  if (fraction) {
    const denominator = Number(fraction[2]);
    return denominator === 0 ? undefined : canonicalNumber(Number(fraction[1]) / denominator);
  }
  const match = /^([-+−]?[$€£]?\s*[\d,.\u2009\u202f ]*\d(?:e[-+]?\d+)?)\s*(.*?)[.\s]*$/i.exec(text.replace(/^[≈~]\s*/, ""));
  if (!match) return undefined;
  const [, numberText = "", unit = ""] = match;
  if (!numberPattern.test(numberText) || (unit !== "" && !unitPattern.test(unit))) return undefined;
  const value = Number(numberText.replace(/[$€£,\u2009\u202f ]/g, "").replace("−", "-"));
  if (!Number.isFinite(value)) return undefined;
  const percent = /^(?:%|percent|per cent)$/i.test(unit);
  return `${canonicalNumber(value)}${percent ? "%" : ""}`;
}

/** Twelve significant digits: floating-point noise (0.30000000000000004) disappears. */
function canonicalNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
