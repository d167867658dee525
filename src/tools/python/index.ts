export { createPythonTool, formatResult, pythonKernelResource, pythonTool } from "./python-tool.js";
export type { PythonToolOptions } from "./python-tool.js";
export { PythonKernel } from "./kernel.js";
export type { CellResult, PythonKernelOptions } from "./kernel.js";
export { checkSandbox, chooseIsolation, sandboxHint } from "./sandbox-check.js";
export type { SandboxCheck } from "./sandbox-check.js";
export { defaultBwrapPath, defaultPythonPath } from "./bubblewrap.js";
