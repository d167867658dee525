import type { Item } from "../api/api-types.js";
import { ContentParts } from "./content-parts.js";
import { MarkdownText } from "./markdown-text.js";

type MessageItem = Extract<Item, { type: "message" }>;

/** What Ponder itself tells the model (resume and budget notices) starts so: not the user's words. */
const ponderNotice = /^\[Ponder\]\s*/;

/**
 * A message: the model's in Markdown, the user's as written (their images too), and Ponder's own
 * notices to the model as a quiet note rather than as something the user said.
 */
export function MessageView({ item }: { item: MessageItem }) {
  const text = item.content.map((part) => (part.type === "input_image" ? "" : part.text)).join("");
  if (item.role === "user" && ponderNotice.test(text)) {
    return (
      <p className="note note-ponder">
        <span className="role">Ponder to the model</span> {text.replace(ponderNotice, "")}
      </p>
    );
  }
  if (item.role === "assistant") {
    const images = item.content.filter((part) => part.type === "input_image");
    return (
      <div className="message message-assistant">
        <span className="role">Model</span>
        {text.trim() && <MarkdownText text={text} />}
        {images.length > 0 && <ContentParts parts={images} />}
      </div>
    );
  }
  return (
    <div className={`message message-${item.role}`}>
      <span className="role">{item.role === "user" ? "User" : item.role}</span>
      <ContentParts parts={item.content} />
    </div>
  );
}
