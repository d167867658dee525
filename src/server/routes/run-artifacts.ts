import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { isKeptArtifactPath, maxKeptArtifactBytes, maxKeptBytesPerRun } from "../../tools/files/kept-artifacts.js";
import { HttpError, notFound } from "../http-error.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";

/**
 * `GET /v1/runs/{id}/artifacts/{item id}`: the file an artifact item names, served only from the
 * copy kept when the artifact was recorded (`<home>/runs/<run>/artifacts/...`, out of the
 * sandbox's reach; see tools/files/kept-artifacts.ts). The workspace itself is never read here:
 * sandboxed code can change anything in it at any moment. An item without a kept copy (recorded
 * before copies were kept, or over the size limits) is answered 410 with a JSON body saying so.
 */
async function artifact({ response, state, caller, params }: RequestContext): Promise<void> {
  const record = await visibleRun(state, caller, params.id as string);
  const stored = (await state.store.listItems(record.id)).find(
    (entry) => entry.item.id === params.itemId && entry.item.type === "artifact",
  );
  if (!stored || stored.item.type !== "artifact")
    throw notFound(`Run ${record.id} has no artifact ${params.itemId}.`, "artifact_not_found");
  const item = stored.item;
  if (!isKeptArtifactPath(state.home, item.path)) throw notKept(item.name, item.bytes);
  // Kept copies are ours alone; O_NOFOLLOW and O_NONBLOCK still make anything odd there harmless.
  const handle = await open(item.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined); // Gone or unreadable: answered below.
  const stats = await handle?.stat().catch(() => undefined);
  if (!handle || !stats?.isFile()) {
    await handle?.close();
    throw new HttpError(
      410,
      `The kept copy of artifact "${item.name}" is no longer on this machine (it was removed from Ponder's home).`,
      "not_found_error",
      {
        code: "artifact_gone",
      },
    );
  }
  response.writeHead(200, {
    "content-type": item.media_type,
    "content-length": stats.size,
    "content-disposition": `inline; filename="${item.name.replace(/["\\\r\n]/g, "_")}"`,
    "x-content-type-options": "nosniff",
  });
  handle
    .createReadStream()
    .on("error", () => response.destroy())
    .pipe(response);
}

function notKept(name: string, bytes: number): HttpError {
  const why =
    bytes > maxKeptArtifactBytes
      ? `it is larger (${bytes.toLocaleString("en-US")} bytes) than the ${maxKeptArtifactBytes.toLocaleString("en-US")} bytes Ponder keeps a copy of`
      : `it was recorded before Ponder kept a copy of each artifact, or when the run's copies already took ${maxKeptBytesPerRun.toLocaleString("en-US")} bytes`;
  return new HttpError(
    410,
    `Artifact "${name}" cannot be served: ${why}. Files in a run's workspace are never served directly, since sandboxed code can change them.`,
    "not_found_error",
    {
      code: "artifact_not_kept",
    },
  );
}

export const runArtifactRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/runs/:id/artifacts/:itemId",
    handle: artifact,
    doc: {
      summary: "An artifact's file, from the copy kept when it was recorded",
      responses: { 200: { description: "The file, with its media type", anyFile: true } },
    },
  },
];
