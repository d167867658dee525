import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, errorText, getJson } from "../api/api-client.js";
import {
  activeStatuses,
  finishedStatuses,
  type RunDetailJson,
  type RunJson,
  type StepUsageJson,
  type StoredItemJson,
} from "../api/api-types.js";
import { followRunEvents, type RunStreamEvent } from "../api/run-events.js";
import { sleep } from "./sleep.js";

export type RunStream = {
  run: RunJson | undefined;
  /** The run's stored items, in seq order, each once. */
  items: StoredItemJson[];
  /** Every turn of the run's conversation, oldest first (the run among them). */
  turns: RunJson[];
  /** Each model turn's usage and time, by step. */
  steps: StepUsageJson[];
  /** What the model is writing right now, before the turn is stored as an item. */
  typingText: string;
  typingReasoning: string;
  /** Whether the event stream is open. */
  connected: boolean;
  loadError: string | undefined;
  streamError: string | undefined;
  /** Reads the run again and reopens its stream: after the user approved, steered or cancelled. */
  refresh: () => void;
};

const pollIntervalMs = 2000;
const noTyping = { text: "", reasoning: "" };

/**
 * One run, live: its stored items and live events come from the event stream, its record (status,
 * usage, answer) from `GET /v1/runs/{id}`, read again after events that change it. A dropped
 * stream reconnects with Last-Event-ID, so no item is lost or shown twice. While no stream is
 * open (the run waits for approval, or a worker advances it) the record is polled, and a stream
 * is opened again as soon as the run is advancing. The state belongs to one run: mount the
 * component anew (a `key` of the run id) to show another.
 */
export function useRunStream(runId: string): RunStream {
  const [run, setRun] = useState<RunJson>();
  const [turns, setTurns] = useState<RunJson[]>([]);
  const [steps, setSteps] = useState<StepUsageJson[]>([]);
  const [items, setItems] = useState<StoredItemJson[]>([]);
  const [typing, setTyping] = useState(noTyping);
  const [connected, setConnected] = useState(false);
  const [loadError, setLoadError] = useState<string>();
  const [streamError, setStreamError] = useState<string>();
  const [streamRound, setStreamRound] = useState(0);
  const lastSeq = useRef(-1);
  // The stream loop that is current: an aborted one may still be unwinding when the next starts.
  const currentStream = useRef<object | undefined>(undefined);
  const finished = useRef(false);
  const loadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const mergeItems = useCallback((incoming: StoredItemJson[]) => {
    if (incoming.length === 0) return;
    lastSeq.current = Math.max(lastSeq.current, ...incoming.map((stored) => stored.seq));
    setItems((current) => mergeBySeq(current, incoming));
  }, []);

  const load = useCallback(async () => {
    try {
      const { items: stored, live: _live, turns, steps, ...record } = await getJson<RunDetailJson>(`/v1/runs/${encodeURIComponent(runId)}`);
      setRun(record);
      setTurns(turns);
      setSteps(steps ?? []);
      finished.current = finishedStatuses.includes(record.status);
      mergeItems(stored);
      setLoadError(undefined);
      // Approved from another client, or resumed by a worker: follow it again.
      if (activeStatuses.includes(record.status) && !currentStream.current) setStreamRound((round) => round + 1);
    } catch (error) {
      setLoadError(errorText(error));
    }
  }, [runId, mergeItems]);

  // Many events change the record at once (an item, the usage, the status): one read covers them.
  const scheduleLoad = useCallback(() => {
    if (loadTimer.current !== undefined) return;
    loadTimer.current = setTimeout(() => {
      loadTimer.current = undefined;
      void load();
    }, 300);
  }, [load]);

  useEffect(() => {
    const controller = new AbortController();
    const poll = async () => {
      // The first read always happens: it brings the record the stream's events do not carry.
      for (let first = true; !controller.signal.aborted; first = false) {
        if (first || (!currentStream.current && !finished.current)) await load();
        await sleep(pollIntervalMs, controller.signal);
      }
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(loadTimer.current);
      loadTimer.current = undefined;
    };
  }, [runId, load]);

  useEffect(() => {
    const controller = new AbortController();
    const onEvent = (event: RunStreamEvent) => {
      switch (event.type) {
        case "item":
          mergeItems([event.stored]);
          // The stored turn replaces what was typed live.
          if (event.stored.item.type === "message") setTyping((current) => ({ ...current, text: "" }));
          if (event.stored.item.type === "reasoning") setTyping((current) => ({ ...current, reasoning: "" }));
          scheduleLoad();
          break;
        case "text-delta":
          setTyping((current) => ({ ...current, text: current.text + event.delta }));
          break;
        case "reasoning-delta":
          setTyping((current) => ({ ...current, reasoning: current.reasoning + event.delta }));
          break;
        // A retried model call streams its turn again from the start.
        case "step-started":
        case "retry-scheduled":
          setTyping(noTyping);
          break;
        case "status-changed":
          setRun((current) => current && { ...current, status: event.status });
          scheduleLoad();
          break;
        case "usage-updated":
          setRun((current) => current && { ...current, usage: event.usage });
          break;
        case "other":
          break;
      }
    };
    // Failed connections in a row: each waits longer before the next try, up to ten seconds.
    let failures = 0;
    const onOpen = () => {
      failures = 0;
      setConnected(true);
      setStreamError(undefined);
    };
    const stream = {};
    const follow = async () => {
      currentStream.current = stream;
      try {
        while (!controller.signal.aborted) {
          try {
            const status = await followRunEvents(runId, lastSeq.current, { onOpen, onEvent }, controller.signal);
            if (status !== undefined) {
              setRun((current) => current && { ...current, status });
              scheduleLoad();
              // Waiting for a person, paused or finished: nothing more comes until someone acts.
              if (!activeStatuses.includes(status)) return;
            }
          } catch (error) {
            if (controller.signal.aborted) return;
            failures += 1;
            setStreamError(errorText(error));
            if (error instanceof ApiError && error.status === 404) return;
          } finally {
            if (currentStream.current === stream) {
              setConnected(false);
              // Deltas of a turn cut off by a dropped stream would join the next ones into nonsense.
              setTyping(noTyping);
            }
          }
          await sleep(Math.min(1000 * 2 ** failures, 10_000), controller.signal);
        }
      } finally {
        if (currentStream.current === stream) currentStream.current = undefined;
      }
    };
    void follow();
    return () => controller.abort();
  }, [runId, streamRound, mergeItems, scheduleLoad]);

  const refresh = useCallback(() => {
    void load();
    if (!currentStream.current) setStreamRound((round) => round + 1);
  }, [load]);

  return {
    run,
    items,
    turns,
    steps,
    typingText: typing.text,
    typingReasoning: typing.reasoning,
    connected,
    loadError,
    streamError,
    refresh,
  };
}

function mergeBySeq(current: StoredItemJson[], incoming: StoredItemJson[]): StoredItemJson[] {
  const known = new Set(current.map((stored) => stored.seq));
  const added = incoming.filter((stored) => !known.has(stored.seq));
  if (added.length === 0) return current;
  return [...current, ...added].sort((left, right) => left.seq - right.seq);
}
