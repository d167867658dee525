// The Node side of the kernel's wire format (the Python side is in kernel-driver.ts): frames that
// start with a 4-byte big-endian length, on a socket that only the driver writes to. Cells go out
// as a 4-byte id, an 8-byte file-size limit and UTF-8 source; messages come back as JSON.
import { z } from "zod";

export const kernelMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  z.object({
    type: z.literal("result"),
    id: z.number().int(),
    output: z.string(),
    /** The traceback, when the cell raised. */
    error: z.string().nullable(),
    /** The exception's class name, e.g. "MemoryError". */
    errorType: z.string().nullable(),
  }),
]);

export type KernelMessage = z.infer<typeof kernelMessageSchema>;
/** A cell: its id, the file-size limit (bytes) it runs under, and its source. */
export function encodeCell(id: number, fileSizeLimitBytes: number, code: string): Buffer {
  const source = Buffer.from(code, "utf8");
  const header = Buffer.alloc(16);
  header.writeUInt32BE(source.length + 12, 0);
  header.writeUInt32BE(id, 4);
  header.writeBigUInt64BE(BigInt(fileSizeLimitBytes), 8);
  return Buffer.concat([header, source]);
}

/** Raised when the kernel sends something that is not a well-formed, bounded frame. */
export class ProtocolError extends Error {}

/**
 * Cuts a byte stream into messages. `maxFrameBytes` bounds what one frame may hold: the driver
 * already cuts output to the configured limit, so a bigger frame means a broken kernel and is
 * refused before it is buffered.
 */
export class FrameReader {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Adds received bytes and returns every message they complete. Throws `ProtocolError`. */
  push(chunk: Buffer): KernelMessage[] {
    this.buffered.push(chunk);
    this.bufferedBytes += chunk.length;
    const messages: KernelMessage[] = [];
    for (;;) {
      if (this.bufferedBytes < 4) return messages;
      const data = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
      this.buffered = [data];
      const length = data.readUInt32BE(0);
      if (length > this.maxFrameBytes) {
        throw new ProtocolError(`The kernel sent a ${length}-byte frame (limit ${this.maxFrameBytes}).`);
      }
      if (data.length < 4 + length) return messages;
      messages.push(parseMessage(data.subarray(4, 4 + length)));
      const rest = data.subarray(4 + length);
      this.buffered = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
    }
  }
}

function parseMessage(body: Buffer): KernelMessage {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new ProtocolError("The kernel sent a frame that is not JSON.");
  }
  const parsed = kernelMessageSchema.safeParse(value);
  if (!parsed.success) throw new ProtocolError("The kernel sent a message of an unknown shape.");
  return parsed.data;
}
