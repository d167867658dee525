// Why the run store cannot be used, in words a user can act on: a database file that is damaged
// or not a database, a home directory Ponder cannot write to, a full disk, a PostgreSQL server
// that cannot be reached. Each message names the
// file and what to do. Ponder changes nothing itself: moving a damaged file aside is the user's
// call, and the file may still hold runs worth recovering.

import { dirname } from "node:path";
import { PonderError } from "../core/errors.js";

/** The store cannot be opened or used because of the machine, not the request: the CLI exits 2. */
export class StoreUnavailableError extends PonderError {
  constructor(message: string, hint: string, cause: unknown) {
    super("store_unavailable", message, { hint, cause });
  }
}

const damagedCodes = new Set(["SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_CORRUPT_VTAB", "SQLITE_CORRUPT_SEQUENCE", "SQLITE_CORRUPT_INDEX"]);
const unwritableCodes = new Set([
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOTDIR",
  "EEXIST",
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
  "SQLITE_READONLY_DIRECTORY",
  "SQLITE_PERM",
  "SQLITE_AUTH",
]);
const fullCodes = new Set(["ENOSPC", "EDQUOT", "SQLITE_FULL"]);

// The SQLite file this process opened (a process opens one run database): damage found by a
// later query (SQLite reads pages only when it needs them) is reported with the file it is in.
let lastOpenedDatabase: string | undefined;

/** Remembers the database a store opened, for storeFailureOf. */
export function rememberOpenedDatabase(path: string): void {
  lastOpenedDatabase = path;
}

/** The clear error for a failure to open or use the SQLite file at `databasePath`, or undefined if it is not one of the machine's. */
export function storeFailure(error: unknown, databasePath: string): StoreUnavailableError | undefined {
  const code = codeOf(error);
  if (code === undefined) return undefined;
  const reason = error instanceof Error ? error.message : String(error);
  if (damagedCodes.has(code) || code.startsWith("SQLITE_CORRUPT")) {
    return new StoreUnavailableError(
      `The run database ${databasePath} is damaged or is not a Ponder database (${reason}).`,
      `Move it aside (mv "${databasePath}" "${databasePath}.damaged") and Ponder starts a new, empty one; ` +
        "Ponder changed nothing in it. sqlite3's .recover may get runs back from the moved file.",
      error,
    );
  }
  if (fullCodes.has(code)) {
    return new StoreUnavailableError(
      `The disk holding ${databasePath} is full (${reason}).`,
      "Free some space there, or point PONDER_HOME (or --home) at a directory on another disk.",
      error,
    );
  }
  if (unwritableCodes.has(code)) {
    const directory = dirname(databasePath);
    return new StoreUnavailableError(
      `Ponder cannot create or write its run database ${databasePath} (${reason}).`,
      `Make ${directory} a directory Ponder can write to, or point PONDER_HOME (or --home, or PONDER_DB for the file) somewhere writable.`,
      error,
    );
  }
  return undefined;
}

/** The clear error for a PostgreSQL store that cannot be reached or used at all (its first connection failed). */
export function postgresFailure(error: unknown, url: string): StoreUnavailableError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(
    `Ponder cannot use its PostgreSQL store at ${safeLocation(url)} (${reason}).`,
    "Check that PostgreSQL is running there and that DATABASE_URL (or the config file's store.url) names the right host, database and credentials.",
    error,
  );
}

/** host:port/database of a postgres:// URL, without its credentials. */
function safeLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return "the configured URL";
  }
}

/** storeFailure for SQLite's error met after opening (a damaged page read later), with the database this process opened. */
export function storeFailureOf(error: unknown): StoreUnavailableError | undefined {
  if (error instanceof StoreUnavailableError) return error;
  if (lastOpenedDatabase === undefined || !codeOf(error)?.startsWith("SQLITE_")) return undefined;
  return storeFailure(error, lastOpenedDatabase);
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}
