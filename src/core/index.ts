export * from "./budget.js";
export * from "./effort.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./ids.js";
export * from "./items.js";
export * from "./run.js";
