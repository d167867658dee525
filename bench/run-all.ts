// `npm run bench`: every benchmark, each printing its figures and ratios against peers measured
// in the same run. Benchmarks are not tests: nothing here fails on a slow machine.
import { benchHarnessOverhead } from "./harness-overhead.js";
import { benchPythonTool } from "./python-tool.js";

const only = process.argv[2];
if (!only || only === "harness") await benchHarnessOverhead();
if (!only || only === "python") await benchPythonTool();
