import { join } from "node:path";
import { resolveSettings } from "../config/resolve-settings.js";
import { bestOf, type BestOfOptions, type BestOfResult } from "../strategies/best-of.js";
import { exitCodes } from "./follow-run.js";
import { StrategyView } from "./strategy-view.js";

/**
 * Runs a strategy (best-of-N, adaptive) with its live grid on stderr, then prints the answer on
 * stdout, or the whole result as JSON (with every child run's id). Ctrl-C cancels every child.
 */
export async function followStrategy(question: string, options: BestOfOptions, output: { json: boolean }): Promise<number> {
  const view = new StrategyView(process.stderr, process.stderr.isTTY === true);
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    if (++interrupts > 1) process.exit(exitCodes.cancelled);
    process.stderr.write("\nCancelling every sample… (Ctrl-C again to quit now)\n");
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  try {
    const result = await bestOf(question, { ...options, signal: controller.signal, onEvent: (event) => view.handle(event) });
    if (output.json) {
      view.stop();
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      view.printOutcome(result);
      if (result.answer) process.stdout.write(`${result.answer}\n`);
      if (result.error) process.stderr.write(`${result.error.message}\n`);
    }
    return exitCodeOf(result);
  } finally {
    view.stop();
    process.off("SIGINT", onInterrupt);
  }
}

/** Where `--verify` gives each candidate its own workspace: under the strategy's home. */
export function verifierWorkspaceRoot(options: { home?: string; configPath?: string }): string {
  const settings = resolveSettings({ home: options.home, configPath: options.configPath }, process.env, process.cwd());
  return join(settings.home, "verify", `${process.pid}-${Date.now()}`);
}

function exitCodeOf(result: BestOfResult): number {
  if (result.status === "completed") return exitCodes.answered;
  if (result.status === "cancelled") return exitCodes.cancelled;
  return exitCodes.failed;
}
