// Where downloaded local models live (`<ponder home>/models`) and what is there.

import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function modelCacheDirectory(home: string): string {
  return join(home, "models");
}

export type CachedModel = { path: string; bytes: number };

/** The GGUF files in the cache, by name; none when the folder does not exist yet. */
export function listCachedModels(home: string): CachedModel[] {
  const directory = modelCacheDirectory(home);
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.toLowerCase().endsWith(".gguf"))
    .sort()
    .map((name) => {
      const path = join(directory, name);
      return { path, bytes: statSync(path).size };
    });
}

/**
 * PONDER_HOME or ~/.ponder, as config/ponder-home.ts decides it; repeated here because the models
 * layer does not import the config layer.
 */
export function defaultPonderHome(env: Record<string, string | undefined> = process.env): string {
  return resolve(env.PONDER_HOME ?? join(homedir(), ".ponder"));
}

/** PONDER_LOCAL_THREADS: CPU threads for local models; unset lets node-llama-cpp choose. */
export function localThreadsSetting(env: Record<string, string | undefined> = process.env): number | undefined {
  const threads = Number(env.PONDER_LOCAL_THREADS);
  return Number.isInteger(threads) && threads > 0 ? threads : undefined;
}

/**
 * The local client's sampling settings from the environment: PONDER_LOCAL_TEMPERATURE (0 is
 * greedy), PONDER_LOCAL_SEED, PONDER_LOCAL_MAX_OUTPUT_TOKENS (per turn). Unset or invalid ones
 * are left to the client's defaults.
 */
export function localSamplingSettings(env: Record<string, string | undefined> = process.env): {
  temperature?: number;
  seed?: number;
  maxOutputTokens?: number;
} {
  const number = (text: string | undefined, valid: (value: number) => boolean) => {
    const value = Number(text);
    return text !== undefined && text !== "" && valid(value) ? value : undefined;
  };
  return {
    temperature: number(env.PONDER_LOCAL_TEMPERATURE, (value) => Number.isFinite(value) && value >= 0),
    seed: number(env.PONDER_LOCAL_SEED, (value) => Number.isInteger(value) && value >= 0),
    maxOutputTokens: number(env.PONDER_LOCAL_MAX_OUTPUT_TOKENS, (value) => Number.isInteger(value) && value > 0),
  };
}
