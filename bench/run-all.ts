// `npm run bench`: every benchmark, each printing its figures and ratios against peers measured
// in the same run. Benchmarks are not tests: nothing here fails on a slow machine.
import { benchBrowser } from "./browser.js";
import { benchConversation } from "./conversation.js";
import { benchFanOut } from "./fan-out.js";
import { benchHarnessOverhead } from "./harness-overhead.js";
import { benchLocalIndex } from "./local-index.js";
import { benchLocalModel } from "./local-model.js";
import { benchMcpClient } from "./mcp-client.js";
import { benchPageRead } from "./page-read.js";
import { benchPythonTool } from "./python-tool.js";
import { benchQueueDispatch } from "./queue-dispatch.js";
import { benchRouter } from "./router.js";
import { benchServerProxy } from "./server-proxy.js";
import { benchWorkerTakeover } from "./worker-takeover.js";

const only = process.argv[2];
if (!only || only === "harness") await benchHarnessOverhead();
if (!only || only === "python") await benchPythonTool();
if (!only || only === "page") await benchPageRead();
if (!only || only === "local-index") await benchLocalIndex();
if (!only || only === "local-model") await benchLocalModel();
if (!only || only === "mcp") await benchMcpClient();
if (!only || only === "browser") await benchBrowser();
if (!only || only === "fan-out") await benchFanOut();
if (!only || only === "router") await benchRouter();
if (!only || only === "server-proxy") await benchServerProxy();
if (!only || only === "takeover") await benchWorkerTakeover();
if (!only || only === "dispatch") await benchQueueDispatch();
if (!only || only === "conversation") await benchConversation();
