import { MarkdownText } from "./markdown-text.js";

/** What the model is writing in the current turn; the stored item replaces it when the turn ends. */
export function TypingBlock({ text, reasoning }: { text: string; reasoning: string }) {
  if (!text && !reasoning) return null;
  return (
    <section className="typing" aria-live="polite" aria-label="The model is writing">
      {reasoning && <p className="reasoning-text">{reasoning}</p>}
      {text && <MarkdownText text={text} />}
      <span className="cursor" aria-hidden="true" />
    </section>
  );
}
