// Long documents reach the model in pages of about `pageCharacters` characters, cut at a
// paragraph or line break where one is near, so the model can ask for "page 3 of 7" and no text
// is ever silently dropped. The same text and page size always give the same pages, so page
// numbers from find_in_page match the pages read_page returns.

export type TextPage = { number: number; start: number; end: number };

/** The default page size: about 2,500 tokens, small enough to leave room for many pages in a run. */
export const defaultPageCharacters = 10_000;

export function splitIntoPages(text: string, pageCharacters = defaultPageCharacters): TextPage[] {
  const size = Math.max(500, Math.floor(pageCharacters));
  const pages: TextPage[] = [];
  let start = 0;
  while (start < text.length || pages.length === 0) {
    const end = start + size >= text.length ? text.length : breakBefore(text, start, start + size);
    pages.push({ number: pages.length + 1, start, end });
    if (end >= text.length) break;
    start = end;
  }
  return pages;
}

/**
 * The best place to end a page that may not go past `limit`: before a Markdown heading (so a
 * heading starts the page it belongs to), else after a blank line, a line, a sentence, a word.
 */
function breakBefore(text: string, start: number, limit: number): number {
  // A break in the first half would make a short page; only the second half is searched.
  const earliest = start + Math.floor((limit - start) / 2);
  const window = text.slice(earliest, limit);
  for (let index = window.lastIndexOf("\n\n#"); index >= 0; index = window.lastIndexOf("\n\n#", index - 1)) {
    if (/^#{1,6} /.test(window.slice(index + 2, index + 10))) return earliest + index + 2;
  }
  for (const separator of ["\n\n", "\n", ". ", " "]) {
    const index = window.lastIndexOf(separator);
    if (index >= 0) return earliest + index + separator.length;
  }
  return limit;
}

export function pageText(text: string, page: TextPage): string {
  return text.slice(page.start, page.end).trim();
}

/** The number of the page holding the character at `offset`. */
export function pageNumberAt(pages: TextPage[], offset: number): number {
  let low = 0;
  let high = pages.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((pages[middle] as TextPage).start <= offset) low = middle;
    else high = middle - 1;
  }
  return pages[low]?.number ?? 1;
}
