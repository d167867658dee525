// Every request of the page goes through here: it adds the API key the user saved and turns
// error answers (`{ error: { message } }`) into ApiError with the server's own message.

const keyStorageName = "ponder.apiKey";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const unauthorizedListeners = new Set<() => void>();

/** Called whenever the server answers 401, so the page can ask for a key. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export function storedApiKey(): string | undefined {
  try {
    return localStorage.getItem(keyStorageName) ?? undefined;
  } catch {
    // Storage can be switched off (private windows, strict settings): then no key is kept.
    return undefined;
  }
}

export function saveApiKey(key: string | undefined): void {
  try {
    if (key) localStorage.setItem(keyStorageName, key);
    else localStorage.removeItem(keyStorageName);
  } catch {
    // See storedApiKey: without storage the key simply is not remembered.
  }
}

/** A request to the Ponder API; resolves only for 2xx answers, else throws ApiError. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const key = storedApiKey();
  if (key) headers.set("authorization", `Bearer ${key}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError(0, `Cannot reach the Ponder server (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (response.ok) return response;
  if (response.status === 401) for (const listener of unauthorizedListeners) listener();
  throw new ApiError(response.status, await errorMessageOf(response));
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(path, signal ? { signal } : {});
  return (await response.json()) as T;
}

/** A POST with a JSON body, `{}` when there is none: the server takes only JSON bodies. */
export async function postJson<T>(path: string, body: unknown = {}): Promise<T> {
  const response = await apiFetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await response.json()) as T;
}

/** The message of an error answer: the server's own when it sent one, else the HTTP status. */
async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") return parsed.error.message;
  } catch {
    // Not JSON (a proxy's error page, say): fall back to the status line.
  }
  return `The server answered ${response.status} ${response.statusText}`.trim() + ".";
}

/** A readable message for anything a request threw. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
