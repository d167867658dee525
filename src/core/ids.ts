import { randomBytes } from "node:crypto";

// Time-ordered ids: lexical order is creation order, which keeps `ponder runs` and item logs
// sortable without a separate sequence. A per-process random part keeps ids from different
// processes apart; a counter keeps ids within one millisecond apart and ordered.
const processPart = randomBytes(5).toString("hex");
let lastTime = 0;
let counter = 0;

export function newId(prefix: string): string {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  return `${prefix}_${now.toString(36).padStart(9, "0")}${counter.toString(36).padStart(4, "0")}${processPart}`;
}
