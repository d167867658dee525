import { resolveSettings, type DirectSettings, type Environment, type ResolvedSettings } from "./resolve-settings.js";

/** How long resolved settings are reused: a config file edited while a server runs applies to runs started this much later. */
const defaultLifetimeMs = 1_000;
/** Requests name models freely: past this many distinct keys the cache starts over rather than grow. */
const maxEntries = 256;

/**
 * Settings for a process that starts many runs (a server): resolving them reads the environment,
 * looks for config files on disk and validates the one found, a cost every request would pay.
 * The same direct settings get the same object for up to a second, which also lets what is
 * built from them (the built-in tools) be reused. Errors are not kept: a broken config file
 * fails each run until it is fixed.
 */
export class SettingsCache {
  private readonly entries = new Map<string, { settings: ResolvedSettings; until: number }>();

  constructor(
    private readonly env: Environment,
    private readonly cwd: string,
    private readonly lifetimeMs = defaultLifetimeMs,
  ) {}

  resolve(direct: DirectSettings): ResolvedSettings {
    const key = JSON.stringify([
      direct.model,
      direct.effort,
      direct.budget,
      direct.tools,
      direct.home,
      direct.configPath,
      direct.unsafeNoSandbox,
    ]);
    const now = Date.now();
    const known = this.entries.get(key);
    if (known !== undefined && known.until > now) return known.settings;
    const settings = resolveSettings(direct, this.env, this.cwd);
    if (this.entries.size >= maxEntries) this.entries.clear();
    this.entries.set(key, { settings, until: now + this.lifetimeMs });
    return settings;
  }
}
