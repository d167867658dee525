// Timeouts of every model call, stated here and nowhere else.
//
// Defaults (override them in ponder.config.json: `modelCalls`, or per provider):
//   connect   30 s to open the connection (TCP, and TLS for HTTPS). A reachable server accepts
//             in milliseconds; 30 s leaves room for a slow proxy or a far region and still
//             fails a black-holed address long before a run's budget is gone.
//   idle      5 min without a byte from the server, the time to the first byte included. A
//             reasoning model may think for minutes before its first token, and a call that is
//             not streamed is silent until its whole answer is ready; 5 min is also what Node's
//             fetch (undici) allowed the AI SDK providers before these settings existed, so no
//             model that worked stops working. A server that accepts and then says nothing is
//             given up on after 5 min, and the call is retried (retry.ts).
//
// A call that times out fails with a retryable ModelCallError, like a dropped connection.

export type ModelCallTimeouts = {
  /** Milliseconds to open the connection. */
  connectTimeoutMs: number;
  /** Milliseconds without a byte from the server, time to the first byte included. */
  idleTimeoutMs: number;
};

export const defaultModelCallTimeouts: Readonly<ModelCallTimeouts> = {
  connectTimeoutMs: 30_000,
  idleTimeoutMs: 300_000,
};

/** The timeouts in force: the first setting given for each, else the default. */
export function modelCallTimeouts(...settings: (Partial<ModelCallTimeouts> | undefined)[]): ModelCallTimeouts {
  const first = <K extends keyof ModelCallTimeouts>(key: K) => settings.find((setting) => setting?.[key] !== undefined)?.[key];
  return {
    connectTimeoutMs: first("connectTimeoutMs") ?? defaultModelCallTimeouts.connectTimeoutMs,
    idleTimeoutMs: first("idleTimeoutMs") ?? defaultModelCallTimeouts.idleTimeoutMs,
  };
}
