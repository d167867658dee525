import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { signalUntil } from "../../src/core/abort.js";

describe("signalUntil", () => {
  it("aborts with the parent's reason when the parent aborts", () => {
    const parent = new AbortController();
    const { signal } = signalUntil(parent.signal, Date.now() + 60_000);
    const reason = new Error("cancelled by the user");
    parent.abort(reason);
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, reason);
  });

  it("aborts with a TimeoutError at the deadline, not before", async () => {
    const until = Date.now() + 30;
    const { signal } = signalUntil(new AbortController().signal, until);
    // The deadline's timer does not keep a process alive; this one does, meanwhile.
    const keepAlive = setTimeout(() => undefined, 5_000);
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
    clearTimeout(keepAlive);
    assert.ok(Date.now() >= until, `fired ${until - Date.now()} ms early`);
    assert.equal((signal.reason as Error).name, "TimeoutError");
  });

  it("stops watching once released, and a deadline past setTimeout's range does not fire at once", async () => {
    const parent = new AbortController();
    const released = signalUntil(parent.signal, Date.now() + 10);
    released.release();
    const far = signalUntil(parent.signal, Date.now() + 40 * 24 * 3600 * 1000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(released.signal.aborted, false, "no timeout after release");
    assert.equal(far.signal.aborted, false, "40 days away is not now");
    parent.abort();
    assert.equal(released.signal.aborted, false, "no parent after release");
    assert.equal(far.signal.aborted, true);
    far.release();
  });

  it("is the parent itself when there is no deadline", () => {
    const parent = new AbortController();
    assert.equal(signalUntil(parent.signal, undefined).signal, parent.signal);
  });
});
