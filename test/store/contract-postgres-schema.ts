import { randomBytes } from "node:crypto";
import pg from "pg";

/** The machine's PostgreSQL (trust auth); tests never mock it. */
export const testDatabaseUrl = process.env.PONDER_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * A schema name of its own for one test, so test files running in parallel never see each
 * other's runs; drop() removes it and everything in it.
 */
export function temporarySchema(prefix = "ponder_test"): { name: string; drop: () => Promise<void> } {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  return {
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
