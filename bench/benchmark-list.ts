// Every benchmark by name, loaded only when it runs: a benchmark's child process imports its own
// module and nothing else, so one benchmark's dependencies cannot break another's.

export type Benchmark = { name: string; load: () => Promise<() => Promise<void>> };

export const benchmarks: Benchmark[] = [
  { name: "harness", load: async () => (await import("./harness-overhead.js")).benchHarnessOverhead },
  { name: "python", load: async () => (await import("./python-tool.js")).benchPythonTool },
  { name: "page", load: async () => (await import("./page-read.js")).benchPageRead },
  { name: "local-index", load: async () => (await import("./local-index.js")).benchLocalIndex },
  { name: "local-model", load: async () => (await import("./local-model.js")).benchLocalModel },
  { name: "mcp", load: async () => (await import("./mcp-client.js")).benchMcpClient },
  { name: "browser", load: async () => (await import("./browser.js")).benchBrowser },
  { name: "fan-out", load: async () => (await import("./fan-out.js")).benchFanOut },
  { name: "router", load: async () => (await import("./router.js")).benchRouter },
  { name: "server-proxy", load: async () => (await import("./server-proxy.js")).benchServerProxy },
  { name: "takeover", load: async () => (await import("./worker-takeover.js")).benchWorkerTakeover },
  { name: "dispatch", load: async () => (await import("./queue-dispatch.js")).benchQueueDispatch },
  { name: "conversation", load: async () => (await import("./conversation.js")).benchConversation },
  { name: "long-run", load: async () => (await import("./long-run-context.js")).benchLongRunContext },
  { name: "prompt-cache", load: async () => (await import("./prompt-cache.js")).benchPromptCache },
  { name: "chat-transport", load: async () => (await import("./chat-transport.js")).benchChatTransport },
  { name: "history", load: async () => (await import("./run-history.js")).benchRunHistory },
  { name: "best-of", load: async () => (await import("./best-of-width.js")).benchBestOfWidth },
  { name: "first-token", load: async () => (await import("./streaming-first-token.js")).benchStreamingFirstToken },
  { name: "queue", load: async () => (await import("./queue-end-to-end.js")).benchQueueEndToEnd },
  { name: "watchers", load: async () => (await import("./run-watchers.js")).benchRunWatchers },
  { name: "burst", load: async () => (await import("./server-burst.js")).benchServerBurst },
];
