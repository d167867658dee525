import { getJson } from "../api/api-client.js";
import { finishedStatuses, type ListJson, type RunJson } from "../api/api-types.js";
import { usePolling, type Polled } from "./use-polling.js";

/** A strategy's child runs, oldest first, polled while the parent is still working. */
export function useChildRuns(parent: RunJson): Polled<RunJson[]> {
  const working = !finishedStatuses.includes(parent.status);
  const path = `/v1/runs?${new URLSearchParams({ parent_id: parent.id, limit: "1000" }).toString()}`;
  // The key changes when the parent finishes, so the children's final statuses are read once more.
  const polled = usePolling(
    async (signal) => (await getJson<ListJson<RunJson>>(path, signal)).data.slice().reverse(),
    `${path}:${working}`,
    2000,
    working,
  );
  return polled;
}
