import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { credentialFrom } from "../auth/credential.ts";
import { etagOf, revisionOfEtag } from "../service/get-timeline.ts";
import { TimelineCache } from "../service/timeline-cache.ts";
import { hasRole } from "./access.ts";
import type { AppDeps } from "./env.ts";
import type { Principal } from "../auth/principal.ts";
import { OPEN_ACCESS } from "./open-access.ts";
import { isValidRequestId } from "./middleware/request-id.ts";
import { CORS_EXPOSED } from "./cors.ts";
import { TIMELINE_CACHE_CONTROL } from "./routes/common.ts";

/** The timeline route with ids as the route's parameter schema allows them (no percent-escapes). */
const TIMELINE_PATH = /^\/v1\/cohorts\/([A-Za-z0-9._:~-]{1,128})\/patients\/([A-Za-z0-9._:~-]{1,128})\/timeline$/;

export interface TimelineFastPath {
  /** Answers the request and returns true, or returns false having changed nothing (the app answers). */
  (req: IncomingMessage, res: ServerResponse): boolean;
  /** Requests answered here since start (for tests and the load benchmark). */
  readonly served: number;
}

/**
 * The hottest request, a dashboard polling a timeline it may already hold, answered on
 * node:http without building fetch Request/Response objects: about a quarter of the CPU of the
 * same request through Hono's Node adapter. It only answers when everything is known in memory
 * and allowed: the timeline is in the NOTIFY-kept cache, the credential was verified within the
 * authenticator's TTL and may read the cohort, and the rate limit (same counters) is not
 * exceeded. Anything else (a miss, an unknown or wrong credential, another cohort, a 429, HEAD,
 * a query string) goes to the app unchanged, which gives the same answer it always
 * did (so do repeated Authorization lines, a missing Host and a Host the Node adapter would refuse). The
 * responses are the app's byte for byte, CORS headers included, apart from Date and a generated
 * request id (test/integration/timeline-fast-path.security.test.ts compares them).
 */
export function timelineFastPath(deps: AppDeps): TimelineFastPath | null {
  const cache = deps.timelineCache;
  if (!cache) return null;
  let peek: ((token: string | null) => Principal | undefined) | null = null;
  if (deps.authenticate) {
    // A custom authenticator without a synchronous cache cannot be answered here.
    if (!("peek" in deps.authenticate)) return null;
    peek = deps.authenticate.peek as (token: string | null) => Principal | undefined;
  }
  const cors = deps.config.corsOrigins.length > 0 ? deps.config.corsOrigins : null;
  const exposed = CORS_EXPOSED.join(",");
  const limiter = deps.rateLimit;
  const hostOk = hostCheck();
  let served = 0;

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== "GET") return false;
    const m = TIMELINE_PATH.exec(req.url ?? "");
    if (!m) return false;
    const h = req.headers;
    // No Host (HTTP/1.0): the adapter falls back to the listen address, which may not parse (IPv6).
    if (!h.host || !hostOk(h.host)) return false;
    // Node keeps the first of repeated Authorization lines; the app sees them joined (and refuses).
    if (h.authorization !== undefined && countHeader(req.rawHeaders, "authorization") > 1) return false;
    const cohortId = m[1]!;
    const hit = cache.get(TimelineCache.key(cohortId, m[2]!));
    if (!hit) return false;
    const principal = peek ? peek(credentialFrom(h["x-api-key"] as string | undefined, h.authorization)) : OPEN_ACCESS;
    if (!principal || !hasRole(principal, cohortId, "read")) return false;
    const limit = limiter?.hit(principal.id);
    if (limit && !limit.allowed) return false;

    const incoming = h["x-request-id"];
    const requestId = typeof incoming === "string" && isValidRequestId(incoming) ? incoming : randomUUID();
    const etag = etagOf(hit.revision);
    const notModified = revisionOfEtag(h["if-none-match"]) === hit.revision;
    // Names and order as the app's response lists them (fetch Headers sort by name).
    const headers: string[] = [];
    if (cors) {
      // As Hono's cors middleware with an origin list (app.ts): echo an allowed Origin, always expose and vary.
      const origin = typeof h.origin === "string" ? h.origin : "";
      if (cors.includes(origin)) headers.push("access-control-allow-origin", origin);
      headers.push("access-control-expose-headers", exposed);
    }
    headers.push("cache-control", TIMELINE_CACHE_CONTROL, "content-type", "application/json", "etag", etag);
    if (limit) for (const [k, v] of limit.headers) headers.push(k, v);
    if (cors) headers.push("vary", "Origin");
    headers.push("x-request-id", requestId);
    if (notModified) {
      res.writeHead(304, headers);
      res.end();
    } else {
      headers.push("content-length", String(hit.body.byteLength));
      res.writeHead(200, headers);
      res.end(hit.body);
    }
    served++;
    return true;
  };
  return Object.defineProperty(handle, "served", { get: () => served }) as TimelineFastPath;
}

/** How many lines of a header a request carried (rawHeaders is [name, value, name, value, ...]). */
function countHeader(raw: readonly string[], name: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === name.length && raw[i]!.toLowerCase() === name) n++;
  return n;
}

/**
 * The Node adapter's Host check (it answers 400 "Invalid host header" when the URL parser would
 * read another host than was sent), remembered per Host value: a server sees few of them.
 */
function hostCheck(): (host: string) => boolean {
  const seen = new Map<string, boolean>();
  return (host) => {
    let ok = seen.get(host);
    if (ok === undefined) {
      try {
        const hostname = new URL(`http://${host}/`).hostname;
        ok = hostname.length === host.length || hostname === host.replace(/:\d+$/, "");
      } catch {
        ok = false;
      }
      if (seen.size < 256) seen.set(host, ok);
    }
    return ok;
  };
}
