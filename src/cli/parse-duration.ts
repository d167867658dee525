import { ConfigError } from "../core/errors.js";

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "30s", "1.5m", "2h", "1500ms" or a bare number of seconds → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new ConfigError(`${flag} ${text}: not a duration.`, `Write it like 30s, 5m, 1h or 1500ms.`);
  const milliseconds = Number(match[1]) * (units[match[2] ?? "s"] as number);
  if (milliseconds <= 0) throw new ConfigError(`${flag} must be more than zero.`);
  return Math.round(milliseconds);
}

export function parsePositiveInteger(text: string, flag: string): number {
  const value = Number(text.replace(/_/g, ""));
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${flag} ${text}: expected a whole number above zero.`);
  return value;
}

export function parsePositiveNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`${flag} ${text}: expected a number above zero.`);
  return value;
}
