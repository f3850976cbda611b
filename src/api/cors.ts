/** Response headers a browser script on an allowed origin may read (the app's CORS and the fast path). */
export const CORS_EXPOSED = ["etag", "x-request-id", "retry-after"];
