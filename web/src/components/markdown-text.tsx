import { memo, useMemo } from "react";
import { markdownHtml } from "../format/markdown.js";

/** Model text or a report, rendered from Markdown and sanitised (format/markdown.ts). */
export const MarkdownText = memo(function MarkdownText({ text, className = "" }: { text: string; className?: string }) {
  const html = useMemo(() => markdownHtml(text), [text]);
  return <div className={`prose markdown ${className}`.trim()} dangerouslySetInnerHTML={{ __html: html }} />;
});
