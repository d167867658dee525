import { ConfigError } from "../../core/errors.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { ApiKeyStore } from "../../server/api-keys.js";
import { localTenant } from "../../server/auth.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { keysHelp } from "../help/keys.js";

export { keysHelp } from "../help/keys.js";

const tenantPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function keysCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine("keys", args, { ...commonOptions, tenant: { type: "string" } });
  const [action, keyId] = positionals;
  if (values.help || !action) {
    process.stdout.write(`${keysHelp}\n`);
    return values.help ? 0 : 2;
  }
  const settings = resolveSettings({ home: values.home, configPath: values.config }, process.env, process.cwd());
  const keys = new ApiKeyStore(settings.databasePath);
  try {
    if (action === "create") {
      const tenant = values.tenant ?? localTenant;
      if (!tenantPattern.test(tenant)) throw new ConfigError(`--tenant ${tenant}: use letters, digits, ".", "_" or "-" (up to 64).`);
      const created = keys.create(tenant);
      if (values.json)
        process.stdout.write(`${JSON.stringify({ id: created.id, tenant, key: created.key, created_at: created.createdAt })}\n`);
      else {
        process.stderr.write(
          tenant === localTenant
            ? `Created key ${created.id} for you, the local user: it sees every run on this machine, the CLI's too. Give others keys of their own tenant (--tenant <name>). It is shown only now; keep it somewhere safe:\n`
            : `Created key ${created.id} for tenant ${tenant}: it sees only ${tenant}'s runs. It is shown only now; keep it somewhere safe:\n`,
        );
        process.stdout.write(`${created.key}\n`);
      }
      return 0;
    }
    if (action === "list") {
      const list = keys.list();
      if (values.json)
        process.stdout.write(
          `${JSON.stringify(
            list.map((key) => ({ id: key.id, tenant: key.tenant, created_at: key.createdAt, revoked_at: key.revokedAt ?? null })),
            null,
            2,
          )}\n`,
        );
      else if (list.length === 0) process.stdout.write("No API keys. Create one with: ponder keys create --tenant <name>\n");
      else
        for (const key of list)
          process.stdout.write(
            `${key.id}  ${key.tenant.padEnd(16)}  ${key.createdAt.slice(0, 19).replace("T", " ")}${key.revokedAt ? "  revoked" : ""}\n`,
          );
      return 0;
    }
    if (action === "revoke") {
      if (!keyId) throw new ConfigError("ponder keys revoke needs a key id.", "See them with `ponder keys list`.");
      if (!keys.revoke(keyId)) throw new ConfigError(`No active key with id ${keyId}.`, "See them with `ponder keys list`.");
      process.stderr.write(`Revoked ${keyId}.\n`);
      return 0;
    }
    throw new ConfigError(`ponder keys: unknown action "${action}".`, "Use create, list or revoke.");
  } finally {
    keys.close();
  }
}
