// Shared set-up for the strategy tests: the fake OpenAI server (real HTTP), a real SQLite
// store in a throwaway home, and helpers to tell samples, judges and synthesis requests apart.
import { join } from "node:path";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { startFakeOpenAIServer, type FakeTurnHandler, type RequestBody } from "../support/fake-openai-server.js";
import { temporaryHome } from "../support/temporary-home.js";

export type StrategyContext = {
  env: Record<string, string>;
  home: string;
  store: SqliteRunStore; /** Bodies of the model requests so far. */
  requests: () => RequestBody[];
};

export async function withStrategyServer(handler: FakeTurnHandler, body: (context: StrategyContext) => Promise<void>): Promise<void> {
  const server = await startFakeOpenAIServer(handler);
  const home = temporaryHome();
  const store = new SqliteRunStore(join(home.path, "ponder.db"));
  try {
    await body({
      env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
      home: home.path,
      store,
      requests: () => server.requests.map((request) => request.body),
    });
  } finally {
    await store.close();
    await server.close();
    home.remove();
  }
}

/** What a request is for, from the prompts the strategy writes. */
export function requestKind(body: RequestBody): "judge" | "equivalence" | "synthesis" | "sample" {
  const text = JSON.stringify(body);
  if (text.includes("<answer_a>")) return "judge";
  if (text.includes("<answer_1>")) return "equivalence";
  if (text.includes("<candidate number")) return "synthesis";
  return "sample";
}

/** The two answers a judge request shows, in order. */
export function judgedAnswers(body: RequestBody): [string, string] {
  const text = JSON.stringify(body);
  const between = (open: string, close: string) =>
    text
      .slice(text.indexOf(open) + open.length, text.indexOf(close))
      .replace(/\\n/g, "")
      .trim();
  return [between("<answer_a>", "</answer_a>"), between("<answer_b>", "</answer_b>")];
}

/** A handler whose samples answer from a list in the order their requests arrive. */
export function samplesAnswering(answers: readonly string[], others: FakeTurnHandler = () => ({ text: "VERDICT: TIE" })): FakeTurnHandler {
  let next = 0;
  return (body, index, path) =>
    requestKind(body) === "sample" ? { text: answers[next++ % answers.length] as string } : others(body, index, path);
}
