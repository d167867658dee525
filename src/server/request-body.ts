import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { HttpError, badRequest } from "./http-error.js";

/** Request bodies larger than this are refused; questions and conversations fit easily. */
const maxBodyBytes = 1024 * 1024;

/** Reads and validates a JSON body. An empty body counts as `{}` so action endpoints need none. */
export async function readJsonBody<Schema extends z.ZodType>(request: IncomingMessage, schema: Schema): Promise<z.infer<Schema>> {
  const text = await readText(request);
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch {
      throw badRequest("The request body is not valid JSON.", undefined, "invalid_json");
    }
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  throw badRequest(`${param ? `${param}: ` : ""}${issue?.message ?? "invalid body"}`, param);
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new HttpError(413, `The request body is larger than ${maxBodyBytes} bytes.`, "invalid_request_error", { code: "body_too_large" }));
        // Stop reading; the response still goes out before the socket closes.
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
