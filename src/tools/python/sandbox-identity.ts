// Which uid sandboxed code runs as when Ponder runs as root, and making the workspace its own.
//
// Root is exempt from RLIMIT_NPROC, so a fork bomb run as root is not contained; the driver
// therefore drops to an unprivileged uid before any user code runs. Each workspace gets its own
// uid rather than everyone sharing `nobody`: the kernel counts processes per uid, so a shared uid
// would let one run's fork bomb starve every other run's threads (an eval runs many at once).
import { createHash } from "node:crypto";
import { lchown, lstat, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * Above the ranges that systemd and container tools hand out (they end at 1879048191) and below
 * 2^31, so that no real account and no other container's uid is hit in practice.
 */
const firstSandboxUid = 2_000_000_000;
const sandboxUidCount = 100_000_000;

export type SandboxIdentity = { uid: number; gid: number };

/** The identity for a workspace's code, or undefined when Ponder is not root (code keeps the user's uid). */
export function sandboxIdentity(workspace: string): SandboxIdentity | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const digest = createHash("sha256").update(workspace).digest();
  const uid = firstSandboxUid + (digest.readUInt32BE(0) % sandboxUidCount);
  return { uid, gid: uid };
}

/**
 * Gives the workspace tree to the sandbox's uid so its code can write there. Symlinks are
 * changed themselves (lchown), never followed, so a link planted in the workspace cannot hand
 * a host file to the sandbox.
 */
export async function giveWorkspaceTo(workspace: string, identity: SandboxIdentity): Promise<void> {
  const pending = [workspace];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    const stat = await lstat(path);
    if (stat.uid !== identity.uid || stat.gid !== identity.gid) await lchown(path, identity.uid, identity.gid);
    if (stat.isDirectory()) {
      for (const name of await readdir(path)) pending.push(join(path, name));
    }
  }
}
