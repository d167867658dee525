#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { PonderError } from "../core/errors.js";
import { configureLogging, logFormatFromEnvironment } from "../logging/logger.js";
import { storeFailureOf } from "../store/store-unavailable.js";
import { PromptInterruptedError } from "./terminal-prompt.js";

const usage = `Ponder: any language model, with the working habits of a reasoning model.

Usage: ponder <command> [options]

Commands:
  ask "<question>"        think, use tools, answer (live view; --json for scripts; --continue <id> for a follow-up)
  chat                    an interactive conversation: follow-ups see earlier turns and their files (--continue <id>)
  eval <dataset|builtin>  evals: pass@k, scaling curves, HTML report (also: eval view, eval list)
  export <run or eval ids> trajectories as JSONL (--format openai-chat | rich)
  research "<question>"   a cited report: plan, parallel readers, every citation checked against what was read
  submit "<task>"         start a run in the background and print its id at once
  watch <run-id>          follow a run's steps live, from any terminal
  steer <run-id> "<msg>"  tell a running run something; it reads it at its next step
  cancel <run-id>         stop a run (its tools too)
  worker                  advance queued runs (with REDIS_URL: from a BullMQ queue, on any machine)
  runs                    list runs (--status, --json)
  show <run-id>           one run: steps, tool calls, artifacts, usage, answer
  resume <run-id>         continue an interrupted, failed or approved run
  approve <run-id> [call] approve waiting tool calls, then continue
  deny <run-id> [call]    deny waiting tool calls, then continue
  index add|update|list|remove|search   the local search index over your own documents
  serve                   HTTP API: OpenAI-compatible endpoints and the runs API (docs/server.md)
  mcp                     Ponder as an MCP server for other agents: ask, research, best_of_n (docs/mcp-server.md)
  keys create|list|revoke API keys for ponder serve (--tenant)
  doctor                  check sandbox, Python, Chromium, Redis/PostgreSQL, providers, local models

Run \`ponder <command> --help\` for a command's options.
Configuration: --model, PONDER_MODEL, provider keys (OPENAI_API_KEY, ANTHROPIC_API_KEY), ponder.config.json.`;

// Each command loads its own modules when it runs, so `ponder runs` does not pay for the tools.
const commands: Record<string, (args: string[]) => Promise<number>> = {
  ask: async (args) => (await import("./commands/ask.js")).askCommand(args),
  chat: async (args) => (await import("./commands/chat.js")).chatCommand(args),
  runs: async (args) => (await import("./commands/runs.js")).runsCommand(args),
  show: async (args) => (await import("./commands/show.js")).showCommand(args),
  resume: async (args) => (await import("./commands/resume.js")).resumeCommand(args),
  approve: async (args) => (await import("./commands/approve.js")).approveCommand(args, true),
  deny: async (args) => (await import("./commands/approve.js")).approveCommand(args, false),
  index: async (args) => (await import("./commands/index-command.js")).indexCommand(args),
  serve: async (args) => (await import("./commands/serve.js")).serveCommand(args),
  mcp: async (args) => (await import("./commands/mcp.js")).mcpCommand(args),
  keys: async (args) => (await import("./commands/keys.js")).keysCommand(args),
  doctor: async (args) => (await import("./commands/doctor.js")).doctorCommand(args),
  eval: async (args) => (await import("./commands/eval.js")).evalCommand(args),
  export: async (args) => (await import("./commands/export.js")).exportCommand(args),
  research: async (args) => (await import("./commands/research.js")).researchCommand(args),
  submit: async (args) => (await import("./commands/submit.js")).submitCommand(args),
  watch: async (args) => (await import("./commands/watch.js")).watchCommand(args),
  steer: async (args) => (await import("./commands/steer.js")).steerCommand(args),
  cancel: async (args) => (await import("./commands/cancel.js")).cancelCommand(args),
  worker: async (args) => (await import("./commands/worker.js")).workerCommand(args),
};

/** Each command's help text has a module of its own: `ponder <command> --help` loads only that. */
const helpModules: Record<string, string> = { approve: "approve", deny: "approve", index: "index-command" };

async function commandHelp(name: string, args: string[]): Promise<string | undefined> {
  const beforeSeparator = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  if (!commands[name] || !beforeSeparator.some((arg) => arg === "--help" || arg === "-h")) return undefined;
  const module = (await import(`./help/${helpModules[name] ?? name}.js`)) as Record<string, string>;
  return Object.values(module)[0];
}

/** Long-running services whose logs a collector reads: JSON lines at level info by default. */
const serviceCommands = new Set(["serve", "worker"]);

/** Exit codes; follow-run.ts says which run outcome gives which. */
const usageExitCode = 2;
const failedExitCode = 1;
const cancelledExitCode = 130;
/**
 * Errors of the command line or the setup, not of the work: bad configuration, no model, a store
 * that cannot be used, a run id that names no run. They exit 2.
 */
const environmentErrorCodes = new Set(["config_error", "model_not_configured", "store_unavailable", "run_not_found"]);

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage}\n`);
    return name ? 0 : usageExitCode;
  }
  if (name === "--version" || name === "-v") {
    const packageJson = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const help = await commandHelp(name, args);
  if (help !== undefined) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const service = serviceCommands.has(name);
  configureLogging({
    format: logFormatFromEnvironment(process.env, service ? "json" : "pretty"),
    level: service ? "info" : "warn",
    gather: service,
  });
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ponder: unknown command "${name}".\n${usage}\n`);
    return usageExitCode;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (thrown: unknown) => {
    // One clear line (and what to do), never a bare stack trace. SQLite's own error for a damaged
    // page read halfway through a command is named with its file.
    const error = storeFailureOf(thrown) ?? thrown;
    if (error instanceof PromptInterruptedError) {
      process.stderr.write("Cancelled.\n");
      process.exitCode = cancelledExitCode;
    } else if (error instanceof PonderError) {
      // Messages that already name the command ("ponder ask: …") are not prefixed twice.
      const message = error.message.startsWith("ponder ") ? error.message : `ponder: ${error.message}`;
      process.stderr.write(`${message}\n${error.hint ? `${error.hint}\n` : ""}`);
      process.exitCode = environmentErrorCodes.has(error.code) ? usageExitCode : failedExitCode;
    } else {
      process.stderr.write(`ponder: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.PONDER_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
      process.exitCode = failedExitCode;
    }
  },
);
