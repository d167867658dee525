// Shared set-up for eval tests: the fake OpenAI server (real HTTP), a real SQLite store in a
// throwaway home, a dataset file, and a handler that answers per item from a script.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { startFakeOpenAIServer, type FakeTurn, type FakeTurnHandler, type RequestBody } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";

export type EvalContext = {
  env: Record<string, string>;
  home: string;
  store: SqliteRunStore;
  requests: () => RequestBody[];
  write: (name: string, text: string) => string;
};

export async function withEvalServer(handler: FakeTurnHandler, body: (context: EvalContext) => Promise<void>): Promise<void> {
  const server = await startFakeOpenAIServer(handler);
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    await body({
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL, PONDER_HOME: home.path },
      home: home.path,
      store,
      requests: () => server.requests.map((request) => request.body),
      write: (name, text) => {
        const path = join(home.path, name);
        writeFileSync(path, text);
        return path;
      },
    });
  } finally {
    await store.close();
    await server.close();
    home.remove();
  }
}

/** Which dataset question a request is about: the first `[Q:<id>]` tag in it. */
export function questionOf(body: RequestBody): string | undefined {
  return /\[Q:([\w-]+)\]/.exec(JSON.stringify(body))?.[1];
}

/**
 * Answers each question from its own cycle of replies, in the order its requests arrive: a
 * question whose cycle is [right, right, wrong] is answered right by exactly 2 of every 3
 * samples whatever the concurrency.
 */
export function scriptedAnswers(cycles: Record<string, FakeTurn[]>): FakeTurnHandler {
  const counters = new Map<string, number>();
  return (body) => {
    const question = questionOf(body) ?? "";
    const cycle = cycles[question];
    if (!cycle) return { text: "Final answer: unknown" };
    const index = counters.get(question) ?? 0;
    counters.set(question, index + 1);
    return cycle[index % cycle.length];
  };
}

export function jsonl(items: object[]): string {
  return `${items.map((item) => JSON.stringify(item)).join("\n")}\n`;
}
