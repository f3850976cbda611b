import type { Context } from "hono";
import { AppError } from "../service/errors.ts";
import type { Ctx } from "../service/context.ts";
import type { AppEnv } from "./env.ts";
import type { Principal } from "../auth/principal.ts";

const RANK = { read: 1, write: 2, admin: 3 } as const;
export type Role = keyof typeof RANK;

export function hasRole(p: Principal, cohortId: string, role: Role): boolean {
  return p.scopes.some((s) => (s.cohortId === "*" || s.cohortId === cohortId) && RANK[s.role] >= RANK[role]);
}

/**
 * The use-case context of a request whose caller holds `role` on the cohort. A caller with no
 * scope on the cohort gets 404, as if it did not exist (existence must not leak); a caller who
 * may read but not write gets 403.
 */
export function ctxFor(c: Context<AppEnv>, cohortId: string, role: Role): Ctx {
  const p = c.get("principal");
  if (!hasRole(p, cohortId, role)) {
    if (hasRole(p, cohortId, "read")) throw new AppError("forbidden", `this credential may not ${role === "admin" ? "administer" : "write to"} cohort ${cohortId}`);
    throw new AppError("not_found", `cohort ${cohortId} not found`);
  }
  return c.get("ctx");
}

/** For routes not tied to one existing cohort (creating one): needs admin on every cohort. */
export function ctxForGlobalAdmin(c: Context<AppEnv>): Ctx {
  const p = c.get("principal");
  if (!p.scopes.some((s) => s.cohortId === "*" && s.role === "admin"))
    throw new AppError("forbidden", "creating a cohort needs an admin credential for all cohorts (scope *:admin)");
  return c.get("ctx");
}
