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
export async function api(path) {
  const headers = { accept: "application/json" };
  const key = getKey();
  if (key) headers["X-API-Key"] = key;
  const res = await fetch(`/v1${path}`, { headers });
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
