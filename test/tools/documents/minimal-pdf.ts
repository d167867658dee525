// Writes a small valid PDF by hand: one Helvetica text line per page (several lines when a page's
// text holds "\n"), a correct cross-reference table and trailer. About 600 bytes for one page.

export function minimalPdf(pages: string[], title?: string): Uint8Array {
  const objects: string[] = [];
  const fontId = 3 + pages.length * 2;
  const infoId = fontId + 1;
  objects[1] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[2] = `<< /Type /Pages /Kids [${pages.map((_, index) => `${3 + index * 2} 0 R`).join(" ")}] /Count ${pages.length} >>`;
  pages.forEach((text, index) => {
    const lines = text
      .split("\n")
      .map((line) => `(${escapePdfString(line)}) Tj T*`)
      .join(" ");
    const stream = `BT /F1 12 Tf 14 TL 72 720 Td ${lines} ET`;
    objects[3 + index * 2] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${4 + index * 2} 0 R /Resources << /Font << /F1 ${fontId} 0 R >> >> >>`;
    objects[4 + index * 2] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  objects[fontId] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  objects[infoId] = title === undefined ? "<< >>" : `<< /Title (${escapePdfString(title)}) >>`;
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info ${infoId} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(out);
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (character) => `\\${character}`);
}
