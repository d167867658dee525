import type { Environment } from "../../config/resolve-settings.js";
import { resolveSettings } from "../../config/resolve-settings.js";
import { commonOptions, parseCommandLine } from "../common-options.js";
import { style } from "../format.js";
import { type DoctorResult, safely } from "../doctor/doctor-check.js";
import { modelCacheCheck } from "../doctor/model-cache-check.js";
import { providerChecks } from "../doctor/provider-checks.js";
import { postgresCheck, redisCheck } from "../doctor/service-checks.js";
import { chromiumCheck, pythonPackagesCheck, sandboxCheck, sandboxLimitsCheck } from "../doctor/system-checks.js";
import { doctorHelp } from "../help/doctor.js";

export { doctorHelp } from "../help/doctor.js";

/** Every check, in display order. Independent checks run at the same time. */
export async function runDoctorChecks(
  env: Environment,
  cwd: string,
  direct: { home?: string; configPath?: string } = {},
): Promise<DoctorResult[]> {
  const settings = resolveSettings(direct, env, cwd);
  const groups = await Promise.all([
    safely("Python sandbox (bubblewrap)", true, "", () => sandboxCheck()),
    safely("Python sandbox limits (one budget per sandbox)", false, "", () => sandboxLimitsCheck()),
    safely("Python packages", true, "", () => pythonPackagesCheck()),
    safely("Chromium (browser tools)", false, "", () => chromiumCheck(settings.toolSettings.browser?.executablePath)),
    safely("Redis", false, "Check REDIS_URL.", () => redisCheck(env)),
    safely("PostgreSQL", false, "Check DATABASE_URL.", () => postgresCheck(env)),
    safely("Model provider", true, "Check the provider settings in ponder.config.json.", () => providerChecks(settings)),
    safely("Local model cache", false, "", async () => modelCacheCheck(settings.home)),
  ]);
  return groups.flat();
}

export async function doctorCommand(args: string[], env: Environment = process.env, cwd = process.cwd()): Promise<number> {
  const { values } = parseCommandLine("doctor", args, commonOptions);
  if (values.help) {
    process.stdout.write(`${doctorHelp}\n`);
    return 0;
  }
  const results = await runDoctorChecks(env, cwd, { home: values.home, configPath: values.config });
  const healthy = results.every((result) => result.ok || !result.required);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return healthy ? 0 : 1;
  }
  style.enabled = process.stdout.isTTY === true;
  for (const required of [true, false]) {
    process.stdout.write(`${style.bold(required ? "Required" : "Optional")}\n`);
    for (const result of results.filter((candidate) => candidate.required === required)) {
      const mark = result.ok ? style.green("✓") : required ? style.red("✗") : style.yellow("✗");
      process.stdout.write(`  ${mark} ${result.check}: ${style.dim(result.detail)}\n`);
      if (!result.ok && result.fix) process.stdout.write(`      → ${result.fix.replace(/\n/g, "\n        ")}\n`);
    }
  }
  const failed = results.filter((result) => result.required && !result.ok).length;
  process.stdout.write(
    healthy
      ? "\nEverything Ponder needs works here.\n"
      : `\n${failed} required check${failed === 1 ? "" : "s"} failed: see the fixes above.\n`,
  );
  return healthy ? 0 : 1;
}
