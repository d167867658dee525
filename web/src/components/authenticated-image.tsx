import { useArtifactUrl } from "../hooks/use-artifact-url.js";

export function AuthenticatedImage({ runId, itemId, alt }: { runId: string; itemId: string; alt: string }) {
  const { url, error } = useArtifactUrl(runId, itemId);
  if (error)
    return (
      <p className="error">
        The image {alt} could not be loaded: {error}
      </p>
    );
  if (!url) return <div className="image-placeholder" aria-label={`Loading ${alt}`} />;
  return <img className="artifact-image" src={url} alt={alt} />;
}
