// The queue end to end: 1,000 one-turn runs submitted through `POST /v1/runs` on `ponder serve`
// (REDIS_URL set: the server queues them), advanced by 2 and then 4 `ponder worker` processes
// (worker concurrency 20) against a fake model answering at once, until every run is completed.
// On PostgreSQL (DATABASE_URL) and on the SQLite file the server and workers share, in this one
// run. Every part is its own process, as in a deployment; the figure is runs/s from the first
// submission to the last run completed, and the submission rate alone. With PONDER_BENCH_BASELINE
// (baseline-build.ts), the baseline's processes are measured too, in turns with this build's.
// Beside the rates, the CPU time each run cost the server, the workers and (on PostgreSQL) their
// database backends: on a shared, busy machine the rates swing with other work, the CPU per run
// much less, and on a machine whose cores are all busy it is what bounds the rate. With
// PONDER_BENCH_CPU_PROF=<folder>, the server and each worker write a V8 CPU profile there when
// they stop (read them with bench/cpu-profile-summary.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { Queue } from "bullmq";
import pg from "pg";
import { redisConnection } from "../src/queue/bullmq-connection.js";
import { temporarySchema, testDatabaseUrl } from "../test/store/contract-postgres-schema.js";
import { testRedisUrl } from "../test/queue/queue-test-support.js";
import { builds } from "./baseline-build.js";
import { recordRatio } from "./ratio-summary.js";
import { firstMatch } from "./child-lines.js";

const runs = 1_000;
const submitters = 50;
const workerConcurrency = 20;
// PONDER_BENCH_QUEUE_WARM_UP=<runs>: that many runs go through first, untimed, so the figures are a
// warmed fleet's (a fresh process spends much of its first few hundred runs compiling the run path).
const warmUpRuns = Number(process.env.PONDER_BENCH_QUEUE_WARM_UP ?? 0);

type Setup = {
  name: string;
  env: Record<string, string>;
  completed: () => Promise<number>;
  /** The processes serving this setup's processes in the database (PostgreSQL's backends), by application name. */
  databaseProcesses?: (applicationName: string) => Promise<number[]>;
  cleanup: () => Promise<void>;
};

type Measured = { endToEnd: number; submit: number; cpuMsPerRun: { server: number; workers: number; database?: number } };

/** CPU seconds a live process has used (Linux /proc), 0 once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function measure(setup: Setup, modelURL: string, workers: number, main: string): Promise<Measured> {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-queue-"));
  const queueName = `ponder-bench-e2e-${randomBytes(4).toString("hex")}`;
  const env = {
    ...(process.env as Record<string, string>),
    ...setup.env,
    PONDER_HOME: setup.env.PONDER_HOME ?? home,
    OPENAI_API_KEY: "bench",
    OPENAI_BASE_URL: modelURL,
    PONDER_OPENAI_API: "chat",
    PONDER_MODEL: "openai:gpt-4o-mini",
    REDIS_URL: testRedisUrl,
    PONDER_QUEUE: queueName,
    PONDER_LOG_LEVEL: "info",
    // Names this measurement's database connections, so their backends' CPU can be told apart.
    PGAPPNAME: queueName,
  };
  const children: ChildProcess[] = [];
  const profileFolder = process.env.PONDER_BENCH_CPU_PROF;
  const profiling = (name: string) =>
    profileFolder
      ? [
          "--cpu-prof",
          `--cpu-prof-dir=${profileFolder}`,
          `--cpu-prof-name=${setup.name}-${workers}-${name}-${process.hrtime.bigint()}.cpuprofile`,
        ]
      : [];
  try {
    const server = spawn(process.execPath, [...profiling("server"), main, "serve", "--port", "0"], {
      env,
      stdio: ["ignore", "ignore", "pipe"],
    });
    children.push(server);
    const url = await firstMatch("ponder serve", server, "stderr", /serving on (\S+)\/v1/);
    const started = Array.from({ length: workers }, () => {
      const worker = spawn(process.execPath, [...profiling("worker"), main, "worker", "--concurrency", String(workerConcurrency)], {
        env,
        stdio: ["ignore", "ignore", "pipe"],
      });
      children.push(worker);
      return firstMatch("ponder worker", worker, "stderr", /(ready on queue)/);
    });
    await Promise.all(started);
    const submitAll = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: submitters }, async () => {
          while (next < count) {
            next++;
            const response = await fetch(`${url}/v1/runs`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ input: "Say done.", effort: "low" }),
            });
            if (response.status !== 201) throw new Error(`POST /v1/runs: HTTP ${response.status}: ${await response.text()}`);
            await response.arrayBuffer();
          }
        }),
      );
    };
    const completedSince = async (before: number, count: number) => {
      while ((await setup.completed()) - before < count) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    if (warmUpRuns > 0) {
      const warming = await setup.completed();
      await submitAll(warmUpRuns);
      await completedSince(warming, warmUpRuns);
    }
    const before = await setup.completed();
    const processCpu = (processes: ChildProcess[]) =>
      processes.reduce((sum, child) => sum + (child.pid === undefined ? 0 : cpuSeconds(child.pid)), 0);
    const ponderCpu = () => ({ server: processCpu(children.slice(0, 1)), workers: processCpu(children.slice(1)) });
    const databaseCpu = async () => {
      const pids = (await setup.databaseProcesses?.(queueName)) ?? [];
      return new Map(pids.map((pid) => [pid, cpuSeconds(pid)]));
    };
    const ponderCpuBefore = ponderCpu();
    const databaseCpuBefore = await databaseCpu();
    const begun = performance.now();
    await submitAll(runs);
    const submitted = performance.now();
    await completedSince(before, runs);
    const done = performance.now();
    const ponderCpuAfter = ponderCpu();
    // Backends opened during the measurement started from nothing.
    const databaseCpuMs = [...(await databaseCpu())].reduce(
      (sum, [pid, seconds]) => sum + (seconds - (databaseCpuBefore.get(pid) ?? 0)) * 1000,
      0,
    );
    return {
      endToEnd: (runs / (done - begun)) * 1000,
      submit: (runs / (submitted - begun)) * 1000,
      cpuMsPerRun: {
        server: ((ponderCpuAfter.server - ponderCpuBefore.server) * 1000) / runs,
        workers: ((ponderCpuAfter.workers - ponderCpuBefore.workers) * 1000) / runs,
        ...(setup.databaseProcesses ? { database: databaseCpuMs / runs } : {}),
      },
    };
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) => new Promise((resolve) => (child.exitCode === null ? child.once("exit", resolve) : resolve(null)))),
    );
    const connection = redisConnection(testRedisUrl);
    const queue = new Queue(queueName, { connection });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    rmSync(home, { recursive: true, force: true });
  }
}

function postgresSetup(): Setup {
  const schema = temporarySchema("ponder_bench_e2e");
  const client = new pg.Client({ connectionString: testDatabaseUrl });
  const connected = client.connect();
  return {
    name: "PostgreSQL",
    env: { DATABASE_URL: testDatabaseUrl, PONDER_DATABASE_SCHEMA: schema.name },
    completed: async () => {
      await connected;
      const result = await client
        .query<{ count: string }>(`SELECT count(*) AS count FROM "${schema.name}".runs WHERE status = 'completed'`)
        .catch(() => ({ rows: [{ count: "0" }] }));
      return Number(result.rows[0]?.count ?? 0);
    },
    databaseProcesses: async (applicationName) => {
      await connected;
      const result = await client.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [applicationName]);
      return result.rows.map((row) => row.pid);
    },
    cleanup: async () => {
      await client.end();
      await schema.drop();
    },
  };
}

function sqliteSetup(): Setup {
  const home = mkdtempSync(join(tmpdir(), "ponder-bench-queue-sqlite-"));
  let database: Database.Database | undefined;
  return {
    name: "SQLite",
    env: { PONDER_HOME: home },
    completed: async () => {
      try {
        database ??= new Database(join(home, "ponder.db"), { readonly: true, fileMustExist: true });
        return database.prepare<[], number>("SELECT count(*) FROM runs WHERE status = 'completed'").pluck().get() ?? 0;
      } catch {
        return 0;
      }
    },
    cleanup: async () => {
      database?.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function benchQueueEndToEnd(): Promise<void> {
  const model = spawn(process.execPath, [new URL("./fake-server-process.js", import.meta.url).pathname, "answer"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  try {
    const modelURL = await new Promise<string>((resolve) => createInterface({ input: model.stdout }).once("line", resolve));
    model.stdin.write("forget\n");
    process.stdout.write(
      `\n# The queue end to end: ${runs.toLocaleString("en")} one-turn runs through POST /v1/runs (${submitters} clients at once), worker concurrency ${workerConcurrency}, fake model at zero latency` +
        `${warmUpRuns > 0 ? `, after ${warmUpRuns.toLocaleString("en")} untimed runs to warm the processes up` : ", fresh processes"}\n`,
    );
    for (const workers of [2, 4]) {
      const rates: Record<string, number> = {};
      const cpu: Record<string, number> = {};
      for (const makeSetup of [postgresSetup, sqliteSetup]) {
        for (const build of builds()) {
          const setup = makeSetup();
          const label = `${setup.name} ${workers} workers, ${build.name}`;
          try {
            const rate = await measure(setup, modelURL, workers, build.cli);
            rates[label] = rate.endToEnd;
            const { server, workers: workersCpu, database } = rate.cpuMsPerRun;
            cpu[label] = server + workersCpu + (database ?? 0);
            process.stdout.write(
              `  ${label.padEnd(36)} ${Math.round(rate.endToEnd)} runs/s end to end (submission alone ${Math.round(rate.submit)} runs/s); ` +
                `CPU per run ${server.toFixed(2)} ms in the server + ${workersCpu.toFixed(2)} in the workers${database === undefined ? "" : ` + ${database.toFixed(2)} ms in their PostgreSQL backends`}\n`,
            );
          } catch (error) {
            // One setup that breaks (a server that died) is reported; the others are still measured.
            process.stdout.write(`  ${label.padEnd(36)} failed: ${error instanceof Error ? error.message : String(error)}\n`);
          } finally {
            await setup.cleanup();
          }
        }
      }
      const postgres = rates[`PostgreSQL ${workers} workers, this build`];
      const baseline = rates[`PostgreSQL ${workers} workers, baseline`];
      if (postgres !== undefined && baseline !== undefined) {
        process.stdout.write(
          `  PostgreSQL, ${workers} workers: this build / the baseline ${(postgres / baseline).toFixed(2)}× (target ≥ 2×)\n`,
        );
        recordRatio(`queue on PostgreSQL, ${workers} workers: runs/s, this build / the baseline`, postgres / baseline, "≥ 2×");
      }
      const postgresCpu = cpu[`PostgreSQL ${workers} workers, this build`];
      const baselineCpu = cpu[`PostgreSQL ${workers} workers, baseline`];
      if (postgresCpu !== undefined && baselineCpu !== undefined) {
        process.stdout.write(
          `  PostgreSQL, ${workers} workers: CPU per run, the baseline / this build ${(baselineCpu / postgresCpu).toFixed(2)}× (the rate a machine with no other work could reach)\n`,
        );
        recordRatio(`queue on PostgreSQL, ${workers} workers: CPU per run, the baseline / this build`, baselineCpu / postgresCpu);
      }
      const sqlite = rates[`SQLite ${workers} workers, this build`];
      if (postgres !== undefined && sqlite !== undefined) {
        recordRatio(`queue, ${workers} workers: PostgreSQL runs/s / SQLite's`, postgres / sqlite);
      }
    }
  } finally {
    model.kill("SIGTERM");
  }
}
