import type { RunFilter } from "./run-store.js";

/** The default page when a caller names no limit. */
export const defaultListLimit = 1000;

/**
 * The SQL of a run list, the same in both stores: newest first (created_at DESC, id DESC), the
 * filter's conditions, and, with `after`, only runs older than that run (keyset pagination: the
 * next page starts where the last ended, however many runs came in meanwhile). Each filter has
 * an index in this order (schema-migrations.ts, version 5), so a page costs O(limit).
 */
export function runListQuery(
  filter: RunFilter,
  runsTable: string,
  placeholder: (position: number) => string,
): { sql: string; values: (string | number)[] } {
  const conditions: string[] = [];
  const values: (string | number)[] = [];
  const value = (given: string | number) => placeholder(values.push(given));
  if (filter.status) conditions.push(`status = ${value(filter.status)}`);
  if (filter.parentId) conditions.push(`parent_id = ${value(filter.parentId)}`);
  if (filter.topLevel) conditions.push("parent_id IS NULL");
  if (filter.tenant !== undefined) conditions.push(`tenant = ${value(filter.tenant)}`);
  if (filter.conversationId) conditions.push(`conversation_id = ${value(filter.conversationId)}`);
  if (filter.after !== undefined) {
    // A run that is not stored makes the page empty (the comparison with NULL is never true).
    const anchor = `(SELECT created_at FROM ${runsTable} WHERE id = ${value(filter.after)})`;
    conditions.push(`(created_at, id) < (${anchor}, ${value(filter.after)})`);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
  const limit = value(filter.limit ?? defaultListLimit);
  return { sql: `SELECT record FROM ${runsTable} ${where} ORDER BY created_at DESC, id DESC LIMIT ${limit}`, values };
}
