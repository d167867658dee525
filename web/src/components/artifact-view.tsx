import type { ArtifactItem } from "../api/api-types.js";
import { AuthenticatedImage } from "./authenticated-image.js";
import { DownloadButton } from "./download-button.js";

/** A file a tool saved: images are shown, every file can be downloaded. */
export function ArtifactView({ runId, item }: { runId: string; item: ArtifactItem }) {
  return (
    <figure className="artifact">
      {item.media_type.startsWith("image/") && <AuthenticatedImage runId={runId} itemId={item.id} alt={item.name} />}
      <figcaption>
        <DownloadButton runId={runId} item={item} />
      </figcaption>
    </figure>
  );
}
