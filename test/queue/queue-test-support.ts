import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { redisConnection } from "../../src/queue/bullmq-connection.js";
import { temporarySchema, testDatabaseUrl } from "../store/contract-postgres-schema.js";
import { temporaryHome } from "../support/temporary-home.js";

export const testRedisUrl = process.env.PONDER_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

const commandsDirectory = new URL("../../src/cli/commands/", import.meta.url);

/**
 * Everything one queue test shares with its child processes: a PostgreSQL schema, a BullMQ
 * queue and a Ponder home of its own; cleanup() drops the schema and obliterates the queue.
 */
export function queueTestPlace(modelBaseUrl: string) {
  const schema = temporarySchema("ponder_queue_test");
  const home = temporaryHome();
  const queueName = `ponder-test-${randomBytes(6).toString("hex")}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home.path,
    PONDER_HOME: home.path,
    OPENAI_API_KEY: "k",
    OPENAI_BASE_URL: modelBaseUrl,
    PONDER_MODEL: "openai:gpt-4o",
    DATABASE_URL: testDatabaseUrl,
    PONDER_DATABASE_SCHEMA: schema.name,
    REDIS_URL: testRedisUrl,
    PONDER_QUEUE: queueName,
  };
  return {
    env,
    home: home.path,
    queueName,
    cleanup: async () => {
      const connection = redisConnection(testRedisUrl);
      const queue = new Queue(queueName, { connection });
      try {
        await queue.obliterate({ force: true });
      } finally {
        await queue.close();
        connection.disconnect();
      }
      await schema.drop();
      home.remove();
    },
  };
}

export type CommandProcess = { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> };

function track(child: ChildProcess): CommandProcess {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * `ponder worker` as its own process (the module runs itself, as `ponder submit` starts it).
 * With `host`, it runs in a UTS namespace of its own under that host name: to the other workers
 * it is on another machine, so only its lease, not its pid, tells them whether it is alive.
 */
export function spawnWorker(args: string[], env: Record<string, string>, options: { host?: string } = {}): CommandProcess {
  const worker = [process.execPath, fileURLToPath(new URL("worker.js", commandsDirectory)), ...args];
  const [command, ...commandArgs] = options.host
    ? ["unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', options.host, ...worker]
    : worker;
  return track(spawn(command as string, commandArgs, { env, stdio: ["ignore", "pipe", "pipe"] }));
}

/** Runs one command module (`submit`, `watch`, ...) as a child process, the way main.ts would call it. */
export async function runCommand(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = [
    "const [path, name, ...args] = process.argv.slice(1);",
    "const module = await import(path);",
    "try { process.exitCode = await module[name + 'Command'](args); }",
    "catch (error) { process.stderr.write(String(error?.message ?? error) + '\\n'); process.exitCode = 1; }",
  ].join("\n");
  const path = fileURLToPath(new URL(`${name}.js`, commandsDirectory));
  const command = track(
    spawn(process.execPath, ["--input-type=module", "-e", script, path, name, ...args], { env, stdio: ["ignore", "pipe", "pipe"] }),
  );
  const code = await command.exited;
  return { code, stdout: command.stdout(), stderr: command.stderr() };
}

/**
 * Polls `check` until it returns a value. The limit only names what never came (a loaded machine
 * may take long, so it sits just under the test's own timeout); it is not a timing assert.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, limitMs = 110_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
