export { createRecallTool, type RecallArguments, type RecalledOutput } from "./recall-tool.js";
export { offloadedOutputPath, readOffloadedOutput, writeOffloadedOutput } from "./offloaded-outputs.js";
