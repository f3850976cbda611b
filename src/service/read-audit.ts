import { listAudit } from "../db/queries/audit.ts";
import { findPatient } from "../db/queries/patients.ts";
import type { Ctx } from "./context.ts";
import { invalid, notFound } from "./errors.ts";

/**
 * One page of a patient's audit trail, newest first: who (key or token subject), when, which
 * route and request, and the before/after of what changed. Keyset pagination by audit id.
 */
export async function readAudit({ ctx, cohortId, patientId, limit, cursor }: { ctx: Ctx; cohortId: string; patientId: string; limit: number; cursor?: string }) {
  let beforeId: number | undefined;
  if (cursor !== undefined) {
    if (!/^[1-9][0-9]{0,14}$/.test(cursor)) throw invalid("cursor", "not a cursor returned by this route");
    beforeId = Number(cursor);
  }
  if (!(await findPatient(ctx.db, cohortId, patientId))) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
  const rows = await listAudit(ctx.db, cohortId, patientId, limit + 1, beforeId);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ auditId: r.auditId, at: r.at, actor: r.actor, action: r.action, route: r.route, requestId: r.requestId, before: r.before, after: r.after })),
    nextCursor: rows.length > limit ? String(page[page.length - 1]!.auditId) : null,
  };
}
