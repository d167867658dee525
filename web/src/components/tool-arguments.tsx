import { objectOf } from "../format/tool-preview.js";

/**
 * A tool call's arguments as a person reads them: one entry per argument, text shown as written
 * (Python code with its line breaks, not a JSON string full of \n). Arguments that are not a JSON
 * object (the model may write anything) are shown raw.
 */
export function ToolArguments({ text }: { text: string }) {
  const parsed = objectOf(text);
  if (!parsed || Object.keys(parsed).length === 0) return <pre className="code">{text}</pre>;
  return (
    <dl className="arguments">
      {Object.entries(parsed).map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            <pre className="code">{typeof value === "string" ? value : JSON.stringify(value, null, 2)}</pre>
          </dd>
        </div>
      ))}
    </dl>
  );
}
