// The sandbox's seccomp filter, for three jobs:
// - stopping code from killing its own kernel with SIGKILL or SIGTERM, so that a kernel killed by
//   either came from outside the sandbox (an operator, the host): an infrastructure fault, not
//   the model's (see kernel-process.ts). The driver is pid 2 of the sandbox's pid namespace, in
//   process group 1, so kill() aimed at 2, at 0 (the caller's group) or at -1 (everyone) is
//   refused with EPERM for those two signals, as are tgkill() and the sigqueue calls at thread
//   group 2, and tkill() and pidfd_send_signal() (whose target a filter cannot see) for them;
//   signals to any other process, and every other signal, pass;
// - as root, stopping code from creating user namespaces, which bwrap's own --disable-userns
//   cannot do there (it needs a user namespace of bwrap's own). A new user namespace gives code
//   every capability inside it, and with them kernel surface (mounts, netfilter, ...) that is a
//   frequent source of privilege escalations;
// - without a cgroup, refusing the memory that per-process limits do not see: memfds and SysV
//   shared memory (RLIMIT_AS ignores both; /dev/shm stays, as a size-bounded tmpfs).
//
// bwrap loads the program from a file descriptor (`--seccomp FD`) just before it starts the
// interpreter, so it binds the driver and everything it starts. The program is classic BPF over
// `struct seccomp_data` (nr at 0, arch at 4, args from 16), assembled here because it is small
// and Debian ships no command-line compiler for it:
// - a foreign ABI (i386 on x86_64, x32) is refused wholesale: its syscall numbers differ;
// - unshare() and clone() with CLONE_NEWUSER fail with EPERM, setns() always (nothing in the
//   sandbox needs to join a namespace);
// - clone3() fails with ENOSYS: its flags are in memory, which seccomp cannot read, and glibc
//   then falls back to clone(), whose flags it can;
// - memfd_create() and shmget(), when asked to, fail with ENOSYS, as on a kernel without them,
//   which is what libraries check before falling back to files.

type Architecture = {
  audit: number;
  unshare: number;
  clone: number;
  clone3: number;
  setns: number;
  memfdCreate: number;
  shmget: number;
  kill: number;
  tkill: number;
  tgkill: number;
  sigqueueInfo: number;
  threadGroupSigqueueInfo: number;
  pidfdSendSignal: number;
  x32Bit?: number;
};

/** Syscall numbers from the kernel's tables (arch/x86/entry/syscalls, include/uapi/asm-generic). */
const architectures: Partial<Record<NodeJS.Architecture, Architecture>> = {
  x64: {
    audit: 0xc000003e,
    unshare: 272,
    clone: 56,
    clone3: 435,
    setns: 308,
    memfdCreate: 319,
    shmget: 29,
    kill: 62,
    tkill: 200,
    tgkill: 234,
    sigqueueInfo: 129,
    threadGroupSigqueueInfo: 297,
    pidfdSendSignal: 424,
    x32Bit: 0x40000000,
  },
  arm64: {
    audit: 0xc00000b7,
    unshare: 97,
    clone: 220,
    clone3: 435,
    setns: 268,
    memfdCreate: 279,
    shmget: 194,
    kill: 129,
    tkill: 130,
    tgkill: 131,
    sigqueueInfo: 138,
    threadGroupSigqueueInfo: 240,
    pidfdSendSignal: 424,
  },
};

const cloneNewUser = 0x10000000;
/** The driver's pid in the sandbox's pid namespace (bwrap's init is 1), and -1 (everyone) as a 32-bit word. */
const driverPid = 2;
const everyone = 0xffffffff;
const signalKill = 9;
const signalTerminate = 15;
const errnoEPERM = 1;
const errnoENOSYS = 38;

const returnAllow = 0x7fff0000;
const returnErrno = 0x00050000;

const loadWordAbsolute = 0x20; // BPF_LD | BPF_W | BPF_ABS
const jumpIfEqual = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
const jumpIfGreaterOrEqual = 0x35; // BPF_JMP | BPF_JGE | BPF_K
const jumpIfAnyBitSet = 0x45; // BPF_JMP | BPF_JSET | BPF_K
const returnConstant = 0x06; // BPF_RET | BPF_K

const offsetNumber = 0;
const offsetArchitecture = 4;
/** The low 32 bits of an argument, on these little-endian machines. */
const offsetFirstArgument = 16;
const offsetSecondArgument = 24;
const offsetThirdArgument = 32;

type Instruction =
  { code: number; k: number; label?: string } | { code: number; k: number; ifTrue: string | 0; ifFalse: string | 0; label?: string };

/** True where Ponder has syscall numbers for the machine; elsewhere the sandbox runs without the filter. */
export function userNamespaceFilterSupported(): boolean {
  return architectures[process.arch] !== undefined;
}

export type FilterOptions = { denyUserNamespaces: boolean; denyUncountedMemory: boolean };

/** The compiled filter, ready to be read by `bwrap --seccomp FD`; undefined on other architectures. */
export function sandboxFilter(options: FilterOptions): Buffer | undefined {
  const arch = architectures[process.arch];
  if (!arch) return undefined;
  const killers: Instruction[] = [
    { code: jumpIfEqual, k: arch.kill, ifTrue: "process target", ifFalse: 0 },
    { code: jumpIfEqual, k: arch.sigqueueInfo, ifTrue: "process target", ifFalse: 0 },
    { code: jumpIfEqual, k: arch.tgkill, ifTrue: "thread group target", ifFalse: 0 },
    { code: jumpIfEqual, k: arch.threadGroupSigqueueInfo, ifTrue: "thread group target", ifFalse: 0 },
    { code: jumpIfEqual, k: arch.tkill, ifTrue: "signal second", ifFalse: 0 },
    { code: jumpIfEqual, k: arch.pidfdSendSignal, ifTrue: "signal second", ifFalse: 0 },
  ];
  const memory: Instruction[] = options.denyUncountedMemory
    ? [
        { code: jumpIfEqual, k: arch.memfdCreate, ifTrue: "unavailable", ifFalse: 0 },
        { code: jumpIfEqual, k: arch.shmget, ifTrue: "unavailable", ifFalse: 0 },
      ]
    : [];
  const userNamespaces: Instruction[] = options.denyUserNamespaces
    ? [
        { code: jumpIfEqual, k: arch.clone3, ifTrue: "unavailable", ifFalse: 0 },
        { code: jumpIfEqual, k: arch.setns, ifTrue: "deny", ifFalse: 0 },
        { code: jumpIfEqual, k: arch.unshare, ifTrue: "flags", ifFalse: 0 },
        { code: jumpIfEqual, k: arch.clone, ifTrue: "flags", ifFalse: 0 },
      ]
    : [];
  const program: Instruction[] = [
    { code: loadWordAbsolute, k: offsetArchitecture },
    { code: jumpIfEqual, k: arch.audit, ifTrue: 0, ifFalse: "deny" },
    { code: loadWordAbsolute, k: offsetNumber },
    ...(arch.x32Bit ? [{ code: jumpIfGreaterOrEqual, k: arch.x32Bit, ifTrue: "deny", ifFalse: 0 } as const] : []),
    ...killers,
    ...memory,
    ...userNamespaces,
    { code: returnConstant, k: returnAllow },
    { label: "flags", code: loadWordAbsolute, k: offsetFirstArgument },
    { code: jumpIfAnyBitSet, k: cloneNewUser, ifTrue: "deny", ifFalse: 0 },
    { code: returnConstant, k: returnAllow },
    // kill(pid, signal) and rt_sigqueueinfo(pid, signal, info): the driver, the caller's group, everyone.
    { label: "process target", code: loadWordAbsolute, k: offsetFirstArgument },
    { code: jumpIfEqual, k: driverPid, ifTrue: "signal second", ifFalse: 0 },
    { code: jumpIfEqual, k: 0, ifTrue: "signal second", ifFalse: 0 },
    { code: jumpIfEqual, k: everyone, ifTrue: "signal second", ifFalse: 0 },
    { code: returnConstant, k: returnAllow },
    // tgkill(thread group, thread, signal) and rt_tgsigqueueinfo(thread group, thread, signal, info).
    { label: "thread group target", code: loadWordAbsolute, k: offsetFirstArgument },
    { code: jumpIfEqual, k: driverPid, ifTrue: 0, ifFalse: "allow" },
    { code: loadWordAbsolute, k: offsetThirdArgument },
    { code: jumpIfEqual, k: signalKill, ifTrue: "deny", ifFalse: 0 },
    { code: jumpIfEqual, k: signalTerminate, ifTrue: "deny", ifFalse: "allow" },
    { label: "signal second", code: loadWordAbsolute, k: offsetSecondArgument },
    { code: jumpIfEqual, k: signalKill, ifTrue: "deny", ifFalse: 0 },
    { code: jumpIfEqual, k: signalTerminate, ifTrue: "deny", ifFalse: "allow" },
    { label: "allow", code: returnConstant, k: returnAllow },
    { label: "unavailable", code: returnConstant, k: returnErrno | errnoENOSYS },
    { label: "deny", code: returnConstant, k: returnErrno | errnoEPERM },
  ];
  return assemble(program);
}

/** struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }, jumps relative to the next instruction. */
function assemble(program: Instruction[]): Buffer {
  const labels = new Map<string, number>();
  program.forEach((instruction, index) => {
    if (instruction.label) labels.set(instruction.label, index);
  });
  const offset = (target: string | 0, from: number): number => {
    if (target === 0) return 0;
    const index = labels.get(target);
    if (index === undefined || index <= from) throw new Error(`seccomp program: bad jump to ${target}`);
    return index - from - 1;
  };
  const buffer = Buffer.alloc(program.length * 8);
  program.forEach((instruction, index) => {
    buffer.writeUInt16LE(instruction.code, index * 8);
    if ("ifTrue" in instruction) {
      buffer.writeUInt8(offset(instruction.ifTrue, index), index * 8 + 2);
      buffer.writeUInt8(offset(instruction.ifFalse, index), index * 8 + 3);
    }
    buffer.writeUInt32LE(instruction.k >>> 0, index * 8 + 4);
  });
  return buffer;
}
