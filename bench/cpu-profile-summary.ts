// Where a process's CPU time went, from a V8 CPU profile (`node --cpu-prof`):
// `node dist/bench/cpu-profile-summary.js <file.cpuprofile> [--units=N] [--top=N] [--from=function]`.
// Prints busy time (idle left out) by file, by function, by the innermost of Ponder's own folders
// and files on the stack (what Ponder's code spent, the libraries and system calls it made
// included), and by Ponder's functions with their callees. With --units (e.g. the number of
// completions the process served) each figure is also divided by it; with --from, samples before
// the first one whose stack holds that function (start-up) are left out. Each sample counts as
// the profile's median interval: on a loaded machine the gaps between samples include time the
// process was not running at all.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { units: { type: "string", default: "1" }, top: { type: "string", default: "25" }, from: { type: "string" } },
});
const path = positionals[0];
if (!path) {
  process.stderr.write("usage: node dist/bench/cpu-profile-summary.js <file.cpuprofile> [--units=N] [--top=N] [--from=function]\n");
  process.exit(2);
}
const units = Number(values.units);
const top = Number(values.top);
const profile = JSON.parse(readFileSync(path, "utf8")) as Profile;
const sortedDeltas = profile.timeDeltas.toSorted((a, b) => a - b);
const interval = (sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 0) / 1000;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

/** A file's short name: Ponder's own under src/ or bench/, a package by name, Node's internals by module. */
function fileOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return `npm:${packageMatch[1]}`;
  const ownMatch = /\/dist\/((?:src|bench)\/.*)\.js$/.exec(url);
  if (ownMatch) return ownMatch[1] as string;
  return url.replace(/^node:internal\//, "node:");
}

/** Node's own modules as one area, WebAssembly (undici's HTTP parser) as another. */
function outsideArea(file: string): string {
  return file.startsWith("node:") ? "node:*" : file.startsWith("wasm:") ? "wasm" : file;
}

function ownFile(frame: CallFrame): boolean {
  return /\/dist\/src\//.test(frame.url) && !frame.url.includes("node_modules");
}

const selfByFile = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const byOwnFile = new Map<string, number>();
const byOwnFolder = new Map<string, number>();
const inclusiveByOwnFunction = new Map<string, number>();
let busy = 0;
const add = (map: Map<string, number>, key: string, time: number) => map.set(key, (map.get(key) ?? 0) + time);

function stackHolds(node: ProfileNode | undefined, functionName: string): boolean {
  for (let frame = node; frame; frame = byId.get(parentOf.get(frame.id) ?? -1))
    if (frame.callFrame.functionName === functionName) return true;
  return false;
}

let started = values.from === undefined;
for (const sample of profile.samples) {
  const time = interval;
  const node = byId.get(sample);
  started ||= stackHolds(node, values.from as string);
  if (!started || !node || node.callFrame.functionName === "(idle)") continue;
  busy += time;
  const file = fileOf(node.callFrame);
  add(selfByFile, file, time);
  add(selfByFunction, `${node.callFrame.functionName || "(anonymous)"} ${file}:${node.callFrame.lineNumber + 1}`, time);
  let owner: ProfileNode | undefined = node;
  while (owner && !ownFile(owner.callFrame)) owner = byId.get(parentOf.get(owner.id) ?? -1);
  add(byOwnFile, owner ? fileOf(owner.callFrame) : `(no Ponder frame) ${file}`, time);
  add(byOwnFolder, owner ? fileOf(owner.callFrame).split("/").slice(0, 2).join("/") : `(no Ponder frame) ${outsideArea(file)}`, time);
  const onStack = new Set<string>();
  for (let frame: ProfileNode | undefined = node; frame; frame = byId.get(parentOf.get(frame.id) ?? -1))
    if (ownFile(frame.callFrame))
      onStack.add(`${frame.callFrame.functionName || "(anonymous)"} ${fileOf(frame.callFrame)}:${frame.callFrame.lineNumber + 1}`);
  for (const key of onStack) add(inclusiveByOwnFunction, key, time);
}

function print(title: string, map: Map<string, number>): void {
  process.stdout.write(`\n## ${title}\n`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, time] of rows) {
    const perUnit = units === 1 ? "" : `  ${((time / units) * 1000).toFixed(1).padStart(7)} µs/unit`;
    process.stdout.write(`${time.toFixed(0).padStart(8)} ms ${((time / busy) * 100).toFixed(1).padStart(5)}%${perUnit}  ${key}\n`);
  }
}

process.stdout.write(`busy ${busy.toFixed(0)} ms${units === 1 ? "" : `, ${((busy / units) * 1000).toFixed(0)} µs per unit`}\n`);
print("self time by file", selfByFile);
print("self time by function", selfByFunction);
print("time by the innermost Ponder folder on the stack", byOwnFolder);
print("time by the innermost Ponder file on the stack", byOwnFile);
print("time by Ponder function, callees included", inclusiveByOwnFunction);
