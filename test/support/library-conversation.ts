// A conversation through the library, over real HTTP (the fake OpenAI server) with the real
// Python sandbox: the options every turn starts from, in a temporary home with its own store.
import { join } from "node:path";
import type { StartRunOptions } from "../../src/library/start-run.js";
import type { RunStore } from "../../src/store/run-store.js";
import { SqliteRunStore } from "../../src/store/sqlite-run-store.js";
import { startFakeOpenAIServer, type FakeOpenAIServer, type FakeServerOptions } from "./fake-openai-server.js";
import { temporaryHome } from "./temporary-home.js";

export type LibraryConversation = { options: StartRunOptions; server: FakeOpenAIServer; store: RunStore; home: string };

export async function withConversation(
  fake: FakeServerOptions,
  body: (context: LibraryConversation) => Promise<void>,
  openStore: (home: string) => RunStore = (home) => new SqliteRunStore(join(home, "ponder.db")),
): Promise<void> {
  const server = await startFakeOpenAIServer(fake);
  const home = temporaryHome();
  const store = openStore(home.path);
  const options: StartRunOptions = {
    model: "openai:gpt-4o",
    effort: "medium",
    tools: ["python"],
    env: { OPENAI_API_KEY: "k", OPENAI_BASE_URL: server.baseURL },
    home: home.path,
    store,
  };
  try {
    await body({ options, server, store, home: home.path });
  } finally {
    await store.close();
    await server.close();
    home.remove();
  }
}
