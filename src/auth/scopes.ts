import type { Principal } from "./principal.ts";

export type Scope = Principal["scopes"][number];
export type Role = Scope["role"];

const ROLES: readonly Role[] = ["read", "write", "admin"];
const COHORT = /^(\*|[A-Za-z0-9._:~-]{1,128})$/;

/**
 * Parses `cohort:role` (e.g. `demo:read`, `*:admin`). Cohort ids may themselves contain `:`,
 * so the role is what follows the last colon. Returns null for anything else.
 */
export function parseScope(text: string): Scope | null {
  const at = text.lastIndexOf(":");
  if (at <= 0) return null;
  const cohortId = text.slice(0, at);
  const role = text.slice(at + 1) as Role;
  if (!ROLES.includes(role) || !COHORT.test(cohortId)) return null;
  return { cohortId, role };
}

export const formatScope = (s: Scope): string => `${s.cohortId}:${s.role}`;

/**
 * Scopes from a JWT claim: a space-separated string (OAuth 2 `scope`) or an array of strings.
 * Entries that are not `cohort:role` (e.g. `openid`) are ignored, not errors.
 */
export function scopesFromClaim(value: unknown): Scope[] {
  const items = typeof value === "string" ? value.split(/\s+/) : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  return items.map(parseScope).filter((s): s is Scope => s !== null);
}
