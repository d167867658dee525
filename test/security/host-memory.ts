// Measures, from the host, how much memory a sandbox takes while something runs: the drop of the
// host's MemAvailable (what other programs lose, whatever the sandbox's own bookkeeping says)
// and the peak of the sandbox cgroup's own usage counter.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const mebibyte = 1024 * 1024;

export type MemoryWatch = {
  /** Stops sampling; the largest host drop and the sandbox cgroup's largest peak seen, in MB. */
  stop(): { hostGrowthMb: number; cgroupPeakMb: number | undefined };
};

export function watchHostMemory(): MemoryWatch {
  const baseline = availableBytes();
  let largestDrop = 0;
  let cgroupPeak: number | undefined;
  const sample = () => {
    largestDrop = Math.max(largestDrop, baseline - availableBytes());
    for (const peak of sandboxCgroupPeaks()) cgroupPeak = Math.max(cgroupPeak ?? 0, peak);
  };
  // Sampling, not waiting: a sandbox that escapes its limit holds the memory until its cell ends,
  // far longer than one interval.
  const timer = setInterval(sample, 5);
  sample();
  return {
    stop() {
      sample();
      clearInterval(timer);
      return {
        hostGrowthMb: Math.round(largestDrop / mebibyte),
        cgroupPeakMb: cgroupPeak === undefined ? undefined : Math.round(cgroupPeak / mebibyte),
      };
    },
  };
}

function availableBytes(): number {
  const line = readFileSync("/proc/meminfo", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("MemAvailable:"));
  return Number(line?.split(/\s+/)[1]) * 1024;
}

/** The v1 memory peaks of this process's sandbox cgroups (none on hosts without v1 memory). */
function sandboxCgroupPeaks(): number[] {
  const own = readFileSync("/proc/self/cgroup", "utf8")
    .split("\n")
    .find((line) => /^\d+:memory:/.test(line));
  if (!own) return [];
  const parent = join("/sys/fs/cgroup/memory", own.split(":")[2] ?? "/");
  const peaks: number[] = [];
  try {
    for (const name of readdirSync(parent)) {
      if (!name.startsWith(`ponder-sandbox-${process.pid}-`)) continue;
      try {
        peaks.push(Number(readFileSync(join(parent, name, "memory.max_usage_in_bytes"), "utf8")));
      } catch {
        // Removed between the listing and the read.
      }
    }
  } catch {
    // No v1 memory hierarchy here.
  }
  return peaks;
}
