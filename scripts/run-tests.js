// Runs every compiled test file with node's own test runner. Node 20's `--test` takes no
// globs, so the files are listed here. Extra arguments (file filters) are passed through.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function collect(directory) {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith(".test.js") ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = collect("dist/test").filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)));
// The timeout bounds a whole file: the kill -9 rounds of test/security take about 90 s alone, more on a busy machine.
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=2", "--test-timeout=300000", ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
