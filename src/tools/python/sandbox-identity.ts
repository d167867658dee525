// Which uid sandboxed code runs as when Ponder runs as root, and making the workspace its own.
//
// Root is exempt from RLIMIT_NPROC, so a fork bomb run as root is not contained; the driver
// therefore drops to an unprivileged uid before any user code runs. Each workspace gets its own
// uid rather than everyone sharing `nobody`: the kernel counts processes per uid, so a shared uid
// would let one run's fork bomb starve every other run's threads (an eval runs many at once).
import { createHash } from "node:crypto";
import { WorkspaceDirectory } from "../files/workspace-directory.js";
import { walkWorkspace, type WalkDecision } from "../files/workspace-walk.js";

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
 * Gives the workspace tree to the sandbox's uid so its code can write there. The tree is walked
 * through held directory descriptors and each entry is changed where it lies in the folder held
 * (lchown of `name` in that folder, fchown-like for folders): a link is changed itself, never
 * followed, and a folder swapped for a link mid-walk cannot lead the walk, or a chown, outside.
 */
export async function giveWorkspaceTo(workspace: string, identity: SandboxIdentity): Promise<void> {
  const { uid, gid } = identity;
  await WorkspaceDirectory.with(workspace, async (root) => {
    if (!(await ownedBy(root, identity))) await root.changeOwner(uid, gid);
    await walkWorkspace(root, async (folder, { name, stats }): Promise<WalkDecision> => {
      if (stats.uid === uid && stats.gid === gid) return "descend";
      if (stats.isDirectory()) {
        const inner = await folder.directory(name).catch(() => undefined); // Gone or replaced since the listing: nothing to change.
        // Changed through its own descriptor: what is changed is the folder that was opened.
        if (inner) await inner.changeOwner(uid, gid).finally(() => inner.close());
      } else await folder.changeEntryOwner(name, uid, gid).catch(ignoreVanished);
      return "descend";
    });
  });
}

async function ownedBy(folder: WorkspaceDirectory, identity: SandboxIdentity): Promise<boolean> {
  const { stats } = await folder.info(".");
  return stats.uid === identity.uid && stats.gid === identity.gid;
}

/** An entry removed between the listing and the change needs no owner. */
function ignoreVanished(error: NodeJS.ErrnoException): void {
  if (error.code !== "ENOENT") throw error;
}
