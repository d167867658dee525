import type { IncomingMessage } from "node:http";
import type { z } from "zod";
import { issuePath } from "../core/schema-issues.js";
import { HttpError, badRequest } from "./http-error.js";

/** Request bodies larger than this are refused; questions and runs API bodies fit easily. */
export const maxBodyBytes = 1024 * 1024;

/**
 * The OpenAI endpoints carry whole conversations with images: one image may be 20 MB, which is
 * about 27 MB as a base64 data URL, so their bodies may be this large.
 */
export const conversationBodyBytes = 32 * 1024 * 1024;

// `POST /v1/runs` may carry images and files.
const conversationPaths = new Set(["/v1/chat/completions", "/v1/responses", "/v1/runs"]);

/** The largest body a request to this path may send. */
export function bodyLimitOf(pathname: string): number {
  return conversationPaths.has(pathname) ? conversationBodyBytes : maxBodyBytes;
}

export function bodyTooLarge(limit: number): HttpError {
  return new HttpError(413, `The request body is larger than ${limit} bytes.`, "invalid_request_error", { code: "body_too_large" });
}

/**
 * Reads and validates a JSON body; its type was checked by guardRequest. An empty body counts as
 * `{}` so action endpoints need none.
 */
export async function readJsonBody<Schema extends z.ZodType>(
  request: IncomingMessage,
  schema: Schema,
  limit = maxBodyBytes,
): Promise<z.infer<Schema>> {
  const text = await readText(request, limit);
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
  // A field the server does not know is named, as OpenAI names it, rather than dropped.
  if (issue?.code === "unrecognized_keys") {
    const field = [...issue.path.map(String), issue.keys[0] ?? ""].join(".");
    throw badRequest(`Unrecognized request argument supplied: ${field}`, field, "unknown_parameter");
  }
  const param = issue ? issuePath(issue.path) || undefined : undefined;
  throw badRequest(`${param ? `${param}: ` : ""}${issue?.message ?? "invalid body"}`, param);
}

/**
 * The body as text, up to `limit` bytes. Past that it stops listening and leaves the rest unread:
 * the error answer then discards it (see sendBody), so the client still reads the 413.
 */
function readText(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > limit) return Promise.reject(bodyTooLarge(limit));
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
      if (size > limit) {
        stop();
        request.pause();
        reject(bodyTooLarge(limit));
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
