// Only the help text: `ponder worker --help` answers without loading the command.

export const workerHelp = `Usage: ponder worker [--concurrency <n>] [--lock-duration <time>]
       ponder worker --run <run-id>

Takes runs off the queue on Redis (REDIS_URL; PONDER_QUEUE names the queue) and advances them
on the shared store (DATABASE_URL, PostgreSQL). Start any number of workers on any number of
machines. A worker that dies mid-run loses its job lock; another worker resumes the run from
its last checkpoint, and tool calls that had finished are not run again.

  --concurrency <n>        runs advanced at once by this worker (default 1)
  --lock-duration <time>   how long a dead worker keeps its run (default 1s); its run
                           moves to another worker, on any machine, within about 1.5×
                           this. Raise it if workers' event loops can stall for longer.
  --run <run-id>           advance this one run here and exit (no Redis needed)

SIGTERM or Ctrl-C: each run here finishes its current step and goes back to the queue, then
the worker exits. A second signal exits at once.`;
