// The compaction-survival task of the built-in set: an archive of many long pages that must all
// be read before answering, with one fact in the task itself and one on the first page. Run in a
// small window (config `context.models`), reading every page forces several compactions, and
// only a harness that carries both facts through them answers right (docs/long-runs.md).
import { mulberry32 } from "../metrics/paired-comparison.js";

export const archivePageCount = 20;
export const launchCode = "VELA-7730";
export const vaultCity = "Valparaiso";

const subjects = ["cargo manifest", "crew roster", "fuel ledger", "dock schedule", "repair log", "weather note"];
const verbs = ["records", "lists", "amends", "confirms", "cancels", "restates"];

export function archivePageName(page: number): string {
  return `archive-${String(page).padStart(2, "0")}.txt`;
}

/** Page `page` (1-based): about 6,000 characters of log lines; page 1 names the vault city mid-page. */
export function archivePage(page: number): string {
  const random = mulberry32(7_000 + page);
  const lines = [`Archive page ${page} of ${archivePageCount}.`];
  for (let line = 0; lines.join("\n").length < 6_000; line++) {
    if (page === 1 && line === 40) lines.push(`Entry ${line}: for the record, the vault city is ${vaultCity}.`);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
    lines.push(
      `Entry ${line}: the ${pick(subjects)} ${pick(verbs)} item ${Math.floor(random() * 90_000) + 10_000} at bay ${Math.floor(random() * 40) + 1}.`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export const survivalInput =
  `The launch code is ${launchCode}. The attached files ${archivePageName(1)} to ${archivePageName(archivePageCount)} are the ` +
  `${archivePageCount} pages of an archive. Read every page in order with read_file, one page per call, all ${archivePageCount} of them; ` +
  "one of them names the vault city. When you have read them all, answer with the launch code and the vault city, as: CODE, City.";
