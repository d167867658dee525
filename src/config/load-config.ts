import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../core/errors.js";
import { describeIssues } from "../core/schema-issues.js";
import { configSchema, type PonderConfig } from "./config-schema.js";

export const configFileName = "ponder.config.json";

/**
 * Finds and validates the config file: an explicit path (flag or PONDER_CONFIG) must exist;
 * otherwise `ponder.config.json` in the working directory, then `config.json` in Ponder's home.
 * Errors name the file and the bad field.
 */
export function loadConfig(options: { path?: string; cwd: string; home: string }): { config: PonderConfig; path?: string } {
  const candidates = options.path ? [options.path] : [join(options.cwd, configFileName), join(options.home, "config.json")];
  const path = candidates.find((candidate) => existsSync(candidate));
  if (!path) {
    if (options.path) throw new ConfigError(`Config file ${options.path} does not exist.`, "Check the --config flag or PONDER_CONFIG.");
    return { config: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(
      `Config file ${path} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      "Fix the JSON syntax.",
    );
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error.issues);
    throw new ConfigError(
      `Config file ${path} has ${problems.length === 1 ? "an error" : "errors"}:\n  ${problems.join("\n  ")}`,
      "See docs/configuration.md for every field.",
    );
  }
  return { config: parsed.data, path };
}
