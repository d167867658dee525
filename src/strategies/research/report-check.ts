// The last check before a report is saved: only citations of numbered, verified sources stay,
// only URLs that were read stay, only images the writer's own run produced stay. Then the
// sources list and the citation count are added by code, not by the model.
import type { NumberedSource } from "./research-prompts.js";

export type ReportCheckInput = {
  markdown: string;
  sources: readonly NumberedSource[];
  /** Every URL in the ledger: the only URLs allowed in the report. */
  readUrls: ReadonlySet<string>;
  /** File names of images the writer's run made (artifacts), which the report may show. */
  images: ReadonlySet<string>;
};

export type ReportCheck = {
  markdown: string;
  citationsRemoved: number;
  urlsRemoved: number;
  imagesRemoved: number;
  cited: NumberedSource[];
};

const urlPattern = /\b(?:https?|file):\/\/[^\s<>()\]"']+/g;

export function checkReport({ markdown, sources, readUrls, images }: ReportCheckInput): ReportCheck {
  const numbers = new Map(sources.map((source) => [source.number, source]));
  let citationsRemoved = 0;
  let urlsRemoved = 0;
  let imagesRemoved = 0;
  let text = markdown.replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (whole, alt: string, target: string) => {
    if (images.has(imageName(target))) return `![${alt}](${imageName(target)})`;
    imagesRemoved++;
    return "";
  });
  text = text.replace(/(?<!!)\[([^\]]+)\]\(([^)]*)\)/g, (whole, label: string, target: string) => {
    if (readUrls.has(target.trim())) return whole;
    urlsRemoved++;
    return label;
  });
  text = text.replace(urlPattern, (match) => {
    // A URL ending a sentence keeps its full stop out of the comparison.
    const url = match.replace(/[.,;:!?]+$/, "");
    if (readUrls.has(url)) return match;
    urlsRemoved++;
    return match.slice(url.length);
  });
  const cited = new Set<number>();
  text = text.replace(/\[(\d+)\](?!\()/g, (whole, digits: string) => {
    const number = Number(digits);
    if (numbers.has(number)) {
      cited.add(number);
      return whole;
    }
    citationsRemoved++;
    return "";
  });
  return {
    markdown: text
      .replace(/[ \t]+([.,;:])/g, "$1")
      .replace(/(\S)[ \t]{2,}(?=\S)/g, "$1 ")
      .trimEnd(),
    citationsRemoved,
    urlsRemoved,
    imagesRemoved,
    cited: sources.filter((source) => cited.has(source.number)),
  };
}

function imageName(target: string): string {
  return target.replace(/^.*[\\/]/, "");
}

export type ReportSummary = { claimsChecked: number; claimsDropped: number; check: ReportCheck; fetchedAt: ReadonlyMap<string, string> };

/** The sources list and the account of what was checked, appended to the report. */
export function reportFooter({ claimsChecked, claimsDropped, check, fetchedAt }: ReportSummary): string {
  const list = check.cited
    .map(
      (source) =>
        `${source.number}. [${source.title || source.url}](${source.url}) — \`${source.sourceId}\`, read ${fetchedAt.get(source.sourceId)?.slice(0, 10) ?? "during this research"}`,
    )
    .join("\n");
  const removed = check.citationsRemoved + check.urlsRemoved + check.imagesRemoved;
  const account =
    `*Citation check: ${claimsChecked} claim${claimsChecked === 1 ? "" : "s"} from the readers checked against the sources they read; ${claimsDropped} dropped (source not read, or quote not in it)` +
    `${removed > 0 ? `; ${removed} citation${removed === 1 ? "" : "s"}, link${removed === 1 ? "" : "s"} or image${removed === 1 ? "" : "s"} the writer added without a verified source removed` : ""}.*`;
  return `\n\n## Sources\n\n${list || "No source could be cited."}\n\n${account}\n`;
}
