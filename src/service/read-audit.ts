import { listAudit } from "../db/queries/audit.ts";
import type { Scope } from "../auth/scopes.ts";
import { findPatient } from "../db/queries/patients.ts";
import type { Ctx } from "./context.ts";
import { invalid, notFound } from "./errors.ts";
import { KEY_AUDIT_COHORT } from "./keys-audit.ts";

export type AuditItem = { auditId: number; at: string; actor: string; action: string; route: string | null; requestId: string | null; before: unknown; after: unknown };

/**
 * One page of audit entries, newest first: who (key or token subject), when, which route and
 * request, and the before/after of what changed. Keyset pagination by audit id; `keep` drops
 * entries the caller may not see (a page may then hold fewer than `limit`).
 */
async function auditPage({ ctx, cohortId, patientId, limit, cursor, keep = () => true }: { ctx: Pick<Ctx, "db">; cohortId: string; patientId: string | null; limit: number; cursor?: string; keep?: (item: AuditItem) => boolean }) {
  let beforeId: number | undefined;
  if (cursor !== undefined) {
    if (!/^[1-9][0-9]{0,14}$/.test(cursor)) throw invalid("cursor", "not a cursor returned by this route");
    beforeId = Number(cursor);
  }
  const rows = await listAudit(ctx.db, cohortId, patientId, limit + 1, beforeId);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r): AuditItem => ({ auditId: r.auditId, at: r.at, actor: r.actor, action: r.action, route: r.route, requestId: r.requestId, before: r.before, after: r.after })).filter(keep),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.auditId) : null,
  };
}

/** One page of a patient's audit trail. */
export async function readAudit({ ctx, cohortId, patientId, limit, cursor }: { ctx: Ctx; cohortId: string; patientId: string; limit: number; cursor?: string }) {
  if (!(await findPatient(ctx.db, cohortId, patientId))) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
  return auditPage({ ctx, cohortId, patientId, limit, ...(cursor !== undefined ? { cursor } : {}) });
}

/** One page of API key events (create, revoke), limited to the keys `mayManage` accepts by their scopes. */
export async function readKeyAudit({ ctx, limit, cursor, mayManage }: { ctx: Pick<Ctx, "db">; limit: number; cursor?: string; mayManage: (scopes: readonly Scope[]) => boolean }) {
  const scopesOf = (item: AuditItem) => ((item.after as { scopes?: unknown } | null)?.scopes ?? (item.before as { scopes?: unknown } | null)?.scopes) as Scope[] | undefined;
  return auditPage({ ctx, cohortId: KEY_AUDIT_COHORT, patientId: null, limit, ...(cursor !== undefined ? { cursor } : {}), keep: (item) => { const s = scopesOf(item); return Array.isArray(s) && mayManage(s); } });
}
