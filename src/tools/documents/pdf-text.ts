// PDF → text, page by page, with pdf.js (through unpdf's serverless build, which runs on Node 20
// without a worker or canvas). Pages are read one at a time so a cancel stops a long document
// between pages.
import { getDocumentProxy, resolvePDFJSImport } from "unpdf";
import { ToolError } from "../../core/errors.js";

export type PdfDocument = { title: string; pages: { number: number; text: string }[] };

// pdf.js logs warnings (fonts, the "legacy build" notice) to the console unless told not to.
const silent = 0;

export async function pdfToText(bytes: Uint8Array, signal?: AbortSignal): Promise<PdfDocument> {
  signal?.throwIfAborted();
  await loadPdfjs();
  // pdf.js takes ownership of (detaches) the buffer it is given and refuses Node Buffers, so it
  // gets a plain Uint8Array copy (Buffer.prototype.slice would not copy).
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: silent, isEvalSupported: false, stopAtErrors: false }).catch(
    (error: unknown) => {
      throw describePdfError(error);
    },
  );
  try {
    const pages: PdfDocument["pages"] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      signal?.throwIfAborted();
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      const items = content.items as { str?: string; hasEOL?: boolean }[];
      const text = items
        .map((item) => (item.str ?? "") + (item.hasEOL ? "\n" : ""))
        .join("")
        .replace(/[ \t]+\n/g, "\n")
        .trim();
      pages.push({ number, text });
      page.cleanup();
    }
    return { title: await titleOf(pdf), pages };
  } finally {
    await pdf.destroy();
  }
}

async function titleOf(pdf: Awaited<ReturnType<typeof getDocumentProxy>>): Promise<string> {
  const metadata = await pdf.getMetadata().catch(() => undefined); // Unreadable metadata: the title falls back below.
  const info = metadata?.info as { Title?: unknown } | undefined;
  const fromInfo = typeof info?.Title === "string" ? info.Title.trim() : "";
  return fromInfo || metadata?.metadata?.get("dc:title")?.trim() || "";
}

function describePdfError(error: unknown): Error {
  const name = error instanceof Error || (typeof error === "object" && error !== null) ? (error as { name?: string }).name : undefined;
  if (name === "PasswordException") return new ToolError("The PDF is password-protected, so its text cannot be read.");
  if (name === "InvalidPDFException" || name === "FormatError") {
    return new ToolError("The file is not a valid PDF (it may be damaged or cut short), so its text cannot be read.");
  }
  if (name === "AbortError") return error as Error;
  const message = error instanceof Error ? error.message : String(error);
  return new ToolError(`The PDF could not be read: ${message}`);
}

let loading: Promise<void> | undefined;

/**
 * Loads pdf.js once. Its serverless build prints "Please use the `legacy` build in Node.js
 * environments" with console.log while the module evaluates, before any verbosity setting can
 * apply; that one line would land in the middle of the CLI's output, so it alone is dropped.
 */
function loadPdfjs(): Promise<void> {
  loading ??= (async () => {
    const log = console.log;
    console.log = (...values: unknown[]) => {
      if (typeof values[0] === "string" && values[0].includes("Please use the `legacy` build")) return;
      log(...values);
    };
    try {
      await resolvePDFJSImport();
    } finally {
      console.log = log;
    }
  })();
  return loading;
}
