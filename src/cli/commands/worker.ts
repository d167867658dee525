import { pathToFileURL } from "node:url";
import { ConfigError, errorMessage } from "../../core/errors.js";
import { InlineExecutor } from "../../queue/inline-executor.js";
import { openQueueEnvironment } from "../../queue/queue-environment.js";
import { ensureRedisReachable } from "../../queue/bullmq-connection.js";
import { RunWorker } from "../../queue/run-worker.js";
import { logger } from "../../logging/logger.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { parseDuration, parsePositiveInteger } from "../parse-duration.js";
import { workerHelp } from "../help/worker.js";

export { workerHelp } from "../help/worker.js";

export async function workerCommand(args: string[]): Promise<number> {
  const { values } = parseCommandLine("worker", args, {
    ...commonOptions,
    concurrency: { type: "string" },
    "lock-duration": { type: "string" },
    run: { type: "string" },
  });
  if (values.help) {
    process.stdout.write(`${workerHelp}\n`);
    return 0;
  }
  const environment = openQueueEnvironment({ home: values.home, configPath: values.config }, process.env, process.cwd());
  const advance = {
    store: environment.store,
    controls: environment.controls,
    home: environment.settings.home,
    env: process.env,
    cwd: process.cwd(),
    ...(values.config ? { configPath: values.config } : {}),
  };
  const log = logger("worker");
  try {
    if (values.run) {
      const executor = new InlineExecutor(advance, (runId, error) =>
        log.error({ err: error, runId }, `run ${runId}: ${errorMessage(error)}`),
      );
      await executor.submit(values.run);
      const stopping = untilSignal(() => void executor.close());
      const outcome = await executor.finished(values.run);
      stopping.dispose();
      log.info(`run ${values.run}: ${outcome?.kind === "stopped" ? outcome.record.status : (outcome?.kind ?? "not advanced")}`);
      return 0;
    }
    if (!environment.queue)
      throw new ConfigError(
        "ponder worker needs REDIS_URL (the queue it takes runs from).",
        "Set REDIS_URL=redis://host:6379, or advance one run here with --run <run-id>.",
      );
    await ensureRedisReachable(environment.queue.redisUrl);
    if (!process.env.DATABASE_URL)
      log.warn("DATABASE_URL is not set: runs are read from this machine's SQLite file, so only workers on this machine can share them.");
    const worker = new RunWorker({
      ...environment.queue,
      environment: advance,
      concurrency: values.concurrency ? parsePositiveInteger(values.concurrency, "--concurrency") : 1,
      ...(values["lock-duration"] ? { lockDurationMs: parseDuration(values["lock-duration"], "--lock-duration") } : {}),
      onEvent: (message) => log.info(message),
    });
    await worker.ready();
    log.info(`worker ${process.pid} ready on queue ${environment.queue.queueName}`);
    await new Promise<void>((resolve) => untilSignal(resolve));
    log.info("shutting down: runs here finish their current step and go back to the queue");
    await worker.drain();
    return 0;
  } finally {
    await environment.close();
  }
}

/** Calls `stop` on the first SIGTERM or SIGINT; a second one exits at once. */
function untilSignal(stop: () => void): { dispose: () => void } {
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    stop();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  return {
    dispose: () => {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
    },
  };
}

// `ponder submit` without Redis starts this file directly as the detached process advancing
// one run, so the background path does not depend on how the main command table is wired.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  workerCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${errorMessage(error)}\n`);
      process.exit(1);
    },
  );
}
