import { createInterface } from "node:readline/promises";

/** Ctrl-C at a prompt: the command stops, as Ctrl-C anywhere else does (exit 130). */
export class PromptInterruptedError extends Error {
  constructor() {
    super("Cancelled at the prompt.");
    this.name = "PromptInterruptedError";
  }
}

/**
 * Asks a yes/no question on the terminal: [y/N] (only "y" or "yes" is a yes) or, with
 * `defaultYes`, [Y/n] (anything but "n…" is a yes). End of input is the default. The terminal's
 * Ctrl-C reaches readline as a key, not as a signal: it throws PromptInterruptedError.
 */
export async function askYesNo(question: string, defaultYes = false): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const controller = new AbortController();
  let interrupted = false;
  prompt.on("SIGINT", () => {
    interrupted = true;
    controller.abort();
  });
  const ended = new Promise<string>((resolve) => prompt.once("close", () => resolve("")));
  try {
    const answer = await Promise.race([
      prompt.question(`${question} ${defaultYes ? "[Y/n]" : "[y/N]"} `, { signal: controller.signal }),
      ended,
    ]);
    return defaultYes ? !/^n/i.test(answer.trim()) : /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if (interrupted) {
      process.stderr.write("\n");
      throw new PromptInterruptedError();
    }
    throw error;
  } finally {
    prompt.close();
  }
}
