import { randomBytes } from "node:crypto";

// Time-ordered ids: lexical order is creation order, which keeps `ponder runs` and item logs
// sortable without a separate sequence.
let lastTime = 0;
let counter = 0;

export function newId(prefix: string): string {
  const now = Date.now();
  counter = now === lastTime ? counter + 1 : 0;
  lastTime = now;
  const time = now.toString(36).padStart(9, "0");
  const sequence = counter.toString(36).padStart(3, "0");
  return `${prefix}_${time}${sequence}${randomBytes(5).toString("hex")}`;
}
