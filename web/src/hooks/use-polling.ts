import { useEffect, useRef, useState } from "react";
import { errorText } from "../api/api-client.js";
import { sleep } from "./sleep.js";

export type Polled<T> = { data: T | undefined; error: string | undefined };

/**
 * Loads at once, then again every `intervalMs` while `active`. A new `key` (another filter,
 * another run) starts over with no data, so nothing of the previous one is shown under the new one.
 * A hidden tab skips its polls: a phone in a pocket should not keep the server busy.
 */
export function usePolling<T>(load: (signal: AbortSignal) => Promise<T>, key: string, intervalMs: number, active = true): Polled<T> {
  const [state, setState] = useState<Polled<T> & { key: string }>({ data: undefined, error: undefined, key });
  // The latest loader is read at each poll, so callers may pass a new closure on every render.
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const controller = new AbortController();
    const poll = async () => {
      let first = true;
      while (!controller.signal.aborted && (first || active)) {
        if (first || !document.hidden) {
          try {
            const data = await loader.current(controller.signal);
            if (!controller.signal.aborted) setState({ data, error: undefined, key });
          } catch (error) {
            if (!controller.signal.aborted)
              setState((current) => ({ data: current.key === key ? current.data : undefined, error: errorText(error), key }));
          }
        }
        first = false;
        await sleep(intervalMs, controller.signal);
      }
    };
    void poll();
    return () => controller.abort();
  }, [key, intervalMs, active]);
  return state.key === key ? state : { data: undefined, error: undefined };
}
