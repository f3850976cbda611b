// The JSON API client of the page: same origin, optional API key from localStorage as X-API-Key.

const KEY_STORAGE = "lesiontrack.apiKey";

export const getKey = () => localStorage.getItem(KEY_STORAGE) ?? "";
export function setKey(key) {
  if (key) localStorage.setItem(KEY_STORAGE, key);
  else localStorage.removeItem(KEY_STORAGE);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/** GET a JSON resource under /v1; problem+json answers become ApiError with the status. */
export const api = (path) => send("GET", path);

/** Sends a JSON request under /v1 with `key` (else the stored key); problem+json answers become ApiError. */
export async function send(method, path, body = undefined, key = getKey()) {
  const headers = { accept: "application/json" };
  if (key) headers["X-API-Key"] = key;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      /* not JSON: keep the status */
    }
    throw new ApiError(res.status, problem);
  }
  return res.json();
}

export const enc = encodeURIComponent;
