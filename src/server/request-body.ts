import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { issuePath } from "../core/schema-issues.js";
import { HttpError, badRequest } from "./http-error.js";

/** Request bodies larger than this are refused; questions and conversations fit easily. */
export const maxBodyBytes = 1024 * 1024;

export function bodyTooLarge(): HttpError {
  return new HttpError(413, `The request body is larger than ${maxBodyBytes} bytes.`, "invalid_request_error", { code: "body_too_large" });
}

/**
 * Reads and validates a JSON body; its type was checked by guardRequest. An empty body counts as
 * `{}` so action endpoints need none.
 */
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
  const param = issue ? issuePath(issue.path) || undefined : undefined;
  throw badRequest(`${param ? `${param}: ` : ""}${issue?.message ?? "invalid body"}`, param);
}

/**
 * The body as text, up to maxBodyBytes. Past that it stops listening and leaves the rest unread:
 * the error answer then discards it (see sendBody), so the client still reads the 413.
 */
function readText(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBodyBytes) return Promise.reject(bodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        stop();
        request.pause();
        reject(bodyTooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
  });
}
