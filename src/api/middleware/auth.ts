import type { MiddlewareHandler } from "hono";
import { hasRole } from "../access.ts";
import type { AppEnv } from "../env.ts";
import { problem } from "../errors.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Checked before any route parses its input, for every `/v1/cohorts/{cohortId}/...` request:
 * no scope on the cohort = 404 (existence and validation messages cannot leak, even from a
 * route that forgets ctxFor); read-only scope on a non-GET = 403. Routes needing admin still
 * say so through ctxFor. Creating a cohort needs `*:admin`, and writing /v1/keys admin on some
 * cohort, both also checked before parsing.
 */
export const cohortGuard = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const cohortId = cohortOfPath(c.req.path);
  if (cohortId === null && c.req.method === "POST" && c.req.path === "/v1/cohorts" && !c.get("principal").scopes.some((s) => s.cohortId === "*" && s.role === "admin"))
    return problem(c, "forbidden", "creating a cohort needs an admin credential for all cohorts (scope *:admin)");
  // Key management: listing is filtered to what the caller administers; writes need admin somewhere.
  if (c.req.path.startsWith("/v1/keys") && !SAFE_METHODS.has(c.req.method) && !c.get("principal").scopes.some((s) => s.role === "admin"))
    return problem(c, "forbidden", "managing API keys needs an admin credential");
  if (cohortId !== null) {
    const p = c.get("principal");
    if (!hasRole(p, cohortId, "read")) return problem(c, "not_found", `cohort ${cohortId} not found`);
    if (!SAFE_METHODS.has(c.req.method) && !hasRole(p, cohortId, "write")) return problem(c, "forbidden", `this credential may not write to cohort ${cohortId}`);
  }
  await next();
};

/** The cohort id of a /v1/cohorts/{cohortId}[/...] path (percent-decoded), else null. */
export function cohortOfPath(path: string): string | null {
  const m = /^\/v1\/cohorts\/([^/]+)/.exec(path);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return m[1]!;
  }
}
