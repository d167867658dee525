import type { ContentPart } from "../api/api-types.js";

/** Text and images of a message or a tool's output. Images are data: URLs the run stored. */
export function ContentParts({ parts }: { parts: ContentPart[] }) {
  return (
    <div className="content-parts">
      {parts.map((part, index) =>
        part.type === "input_image" ? (
          <img key={index} className="content-image" src={part.image_url} alt="Image in the conversation" loading="lazy" />
        ) : (
          <div key={index} className="prose">
            {part.text}
          </div>
        ),
      )}
    </div>
  );
}
