// A port on 127.0.0.1 that takes no more connections: a socket listening with a backlog of 0
// whose owner never accepts, its one queue slot filled. New connections hang in their handshake
// (the kernel drops their SYNs), as with a black-holed address: what a connect timeout is for.
// The listener is Python's, since Node accepts every connection on its own.

import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";

const listener = `
import socket, sys
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)
print(server.getsockname()[1], flush=True)
sys.stdin.read()
`;

export async function startUnacceptingPort(): Promise<{ port: number; close: () => void }> {
  const child = spawn("/usr/bin/python3", ["-c", listener], { stdio: ["pipe", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once("error", reject);
  });
  // Fill the queue: the first connections complete (the kernel answers for the listener), later ones hang.
  const fillers: Socket[] = [];
  for (let index = 0; index < 3; index++) fillers.push(connect(port, "127.0.0.1").on("error", () => undefined));
  await new Promise<void>((resolve) => fillers[0]?.once("connect", () => resolve()));
  return {
    port,
    close: () => {
      for (const socket of fillers) socket.destroy();
      child.stdin.end();
    },
  };
}
