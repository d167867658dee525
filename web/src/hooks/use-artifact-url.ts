import { useEffect, useState } from "react";
import { errorText } from "../api/api-client.js";
import { fetchArtifact } from "../api/artifact-files.js";

/** A blob: URL of an artifact for <img>, freed when the component goes away. */
export function useArtifactUrl(runId: string, itemId: string): { url: string | undefined; error: string | undefined } {
  const [state, setState] = useState<{ url: string | undefined; error: string | undefined }>({ url: undefined, error: undefined });
  useEffect(() => {
    const controller = new AbortController();
    let url: string | undefined;
    fetchArtifact(runId, itemId, controller.signal).then(
      (blob) => {
        url = URL.createObjectURL(blob);
        // Aborted meanwhile: the URL is freed at once below.
        if (controller.signal.aborted) URL.revokeObjectURL(url);
        else setState({ url, error: undefined });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ url: undefined, error: errorText(error) });
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [runId, itemId]);
  return state;
}
