import { apiFetch } from "./api-client.js";

/** `GET /v1/runs/{id}/artifacts/{item id}`, with the key: an <img> or <a> alone could not send it. */
export async function fetchArtifact(runId: string, itemId: string, signal?: AbortSignal): Promise<Blob> {
  const response = await apiFetch(
    `/v1/runs/${encodeURIComponent(runId)}/artifacts/${encodeURIComponent(itemId)}`,
    signal ? { signal } : {},
  );
  return response.blob();
}

/** Saves an artifact through a temporary blob link, under the artifact's own name. */
export async function downloadArtifact(runId: string, itemId: string, name: string): Promise<void> {
  const url = URL.createObjectURL(await fetchArtifact(runId, itemId));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click's task has run.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
