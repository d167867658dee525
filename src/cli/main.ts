#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { PonderError } from "../core/errors.js";
import { approveCommand } from "./commands/approve.js";
import { askCommand } from "./commands/ask.js";
import { indexCommand } from "./commands/index-command.js";
import { resumeCommand } from "./commands/resume.js";
import { runsCommand } from "./commands/runs.js";
import { showCommand } from "./commands/show.js";
import { exitCodes } from "./follow-run.js";

const help = `Ponder: any language model, with the working habits of a reasoning model.

Usage: ponder <command> [options]

Commands:
  ask "<question>"        think, use tools, answer (live view; --json for scripts)
  runs                    list runs (--status, --json)
  show <run-id>           one run: steps, tool calls, artifacts, usage, answer
  resume <run-id>         continue an interrupted, failed or approved run
  approve <run-id> [call] approve waiting tool calls, then continue
  deny <run-id> [call]    deny waiting tool calls, then continue
  index add|update|list|remove|search   the local search index over your own documents

Run \`ponder <command> --help\` for a command's options.
Configuration: --model, PONDER_MODEL, provider keys (OPENAI_API_KEY, ANTHROPIC_API_KEY), ponder.config.json.`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  ask: askCommand,
  runs: runsCommand,
  show: showCommand,
  resume: resumeCommand,
  approve: (args) => approveCommand(args, true),
  deny: (args) => approveCommand(args, false),
  index: (args) => indexCommand(args),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${help}\n`);
    return name ? 0 : exitCodes.usage;
  }
  if (name === "--version" || name === "-v") {
    const packageJson = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`ponder: unknown command "${name}".\n${help}\n`);
    return exitCodes.usage;
  }
  return command(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // One clear line (and what to do), never a bare stack trace.
    if (error instanceof PonderError) {
      process.stderr.write(`ponder: ${error.message}\n${error.hint ? `${error.hint}\n` : ""}`);
      process.exitCode = error.code === "config_error" || error.code === "model_not_configured" ? exitCodes.usage : exitCodes.failed;
    } else {
      process.stderr.write(`ponder: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.PONDER_DEBUG) process.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
      process.exitCode = exitCodes.failed;
    }
  },
);

