import { PostgresRunStore } from "../../src/store/postgres-run-store.js";
import { temporarySchema, testDatabaseUrl } from "./contract-postgres-schema.js";
import { runStoreContract } from "./run-store-contract.js";

runStoreContract("postgres", async () => {
  const schema = temporarySchema();
  return { open: () => new PostgresRunStore({ url: testDatabaseUrl, schema: schema.name }), remove: schema.drop };
});
