import type { MiddlewareHandler } from "hono";
import { hasRole } from "../access.ts";
import type { AppEnv } from "../env.ts";
import { problem } from "../errors.ts";

/**
 * Answers 404 for any `/v1/cohorts/{cohortId}/...` request whose credential holds no scope on
 * that cohort, before the route parses anything: existence (or a validation message) cannot
 * leak, even from a route that forgets ctxFor. The role a route needs is still checked there.
 */
export const cohortGuard = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const cohortId = cohortOfPath(c.req.path);
  if (cohortId !== null && !hasRole(c.get("principal"), cohortId, "read")) return problem(c, "not_found", `cohort ${cohortId} not found`);
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
