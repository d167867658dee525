import { useState } from "react";
import { errorText } from "../api/api-client.js";
import { downloadArtifact } from "../api/artifact-files.js";
import type { ArtifactItem } from "../api/api-types.js";
import { formatBytes } from "../format/format-values.js";

export function DownloadButton({ runId, item }: { runId: string; item: ArtifactItem }) {
  const [error, setError] = useState<string>();
  const download = () => {
    setError(undefined);
    downloadArtifact(runId, item.id, item.name).catch((failure: unknown) => setError(errorText(failure)));
  };
  return (
    <>
      <button type="button" className="link-button" onClick={download}>
        ⬇ {item.name}
      </button>{" "}
      <span className="muted">
        {item.media_type}, {formatBytes(item.bytes)}
      </span>
      {error && <span className="error"> {error}</span>}
    </>
  );
}
