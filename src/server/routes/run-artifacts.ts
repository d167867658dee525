import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { dirname, relative, isAbsolute } from "node:path";
import { runWorkspaceOf } from "../../config/ponder-home.js";
import { notFound } from "../http-error.js";
import type { RequestContext, Route } from "../router.js";
import { visibleRun } from "../run-access.js";

/**
 * `GET /v1/runs/{id}/artifacts/{item id}`: the file an artifact item names. The path in the
 * item came from a tool that the model steered, so it is not trusted: the file must lie inside
 * the run's workspace after resolving links, and it is opened with O_NOFOLLOW so a link swapped
 * in after the check is refused. Every refusal is a 404, like a missing artifact.
 */
async function artifact({ response, state, caller, params }: RequestContext): Promise<void> {
  const record = await visibleRun(state, caller, params.id as string);
  const stored = (await state.store.listItems(record.id)).find((entry) => entry.item.id === params.itemId && entry.item.type === "artifact");
  const missing = notFound(`Run ${record.id} has no artifact ${params.itemId}.`, "artifact_not_found");
  if (!stored || stored.item.type !== "artifact") throw missing;
  const item = stored.item;
  const workspace = await realpath(runWorkspaceOf(state.home, record.id)).catch(() => undefined);
  const directory = await realpath(dirname(item.path)).catch(() => undefined);
  if (!workspace || !directory || !isInside(workspace, directory)) throw missing;
  const handle = await open(item.path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) throw missing;
  const stats = await handle.stat().catch(() => undefined);
  if (!stats?.isFile()) {
    await handle.close();
    throw missing;
  }
  response.writeHead(200, {
    "content-type": item.media_type,
    "content-length": stats.size,
    "content-disposition": `inline; filename="${item.name.replace(/["\\\r\n]/g, "_")}"`,
    "x-content-type-options": "nosniff",
  });
  handle.createReadStream().on("error", () => response.destroy()).pipe(response);
}

function isInside(root: string, path: string): boolean {
  const difference = relative(root, path);
  return difference === "" || (!difference.startsWith("..") && !isAbsolute(difference));
}

export const runArtifactRoutes: Route[] = [{ method: "GET", path: "/v1/runs/:id/artifacts/:itemId", handle: artifact }];
