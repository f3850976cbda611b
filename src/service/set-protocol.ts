import { eq } from "drizzle-orm";
import { patients } from "../db/schema/index.ts";
import { findCohort, updateCohort } from "../db/queries/cohorts.ts";
import { bumpRevision } from "../db/queries/patients.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import { validateProtocol } from "./protocol.ts";
import { recomputePatient } from "./recompute-patient.ts";

/**
 * Replaces a cohort's RECIST protocol: a new protocol version (the old one stays in the audit
 * log) and every patient of the cohort re-derived, all in one transaction.
 */
export async function setProtocol({ ctx, cohortId, protocol }: { ctx: Ctx; cohortId: string; protocol: Record<string, unknown> }) {
  const validated = validateProtocol(protocol);
  return withTransaction(ctx, async (tx) => {
    const cohort = await findCohort(tx, cohortId);
    if (!cohort) throw notFound(`cohort ${cohortId}`);
    if (JSON.stringify(cohort.protocol) === JSON.stringify(validated)) return { protocolVersion: cohort.protocolVersion, changed: false, patientsRederived: 0 };
    const at = nowIso(ctx);
    const protocolVersion = cohort.protocolVersion + 1;
    await updateCohort(tx, cohortId, { protocol: validated, protocolVersion, updatedAt: at });
    await appendAudit(tx, {
      cohortId, at, actor: ctx.actor, action: "cohort.protocol", route: ctx.route ?? null, requestId: ctx.requestId ?? null,
      before: { protocol: cohort.protocol, protocolVersion: cohort.protocolVersion },
      after: { protocol: validated, protocolVersion },
    });
    const ids = await tx.select({ patientId: patients.patientId }).from(patients).where(eq(patients.cohortId, cohortId)).orderBy(patients.patientId);
    for (const { patientId } of ids) {
      await lockPatient(tx, cohortId, patientId);
      await bumpRevision(tx, cohortId, patientId, at);
      await recomputePatient({ ctx, tx, cohortId, patientId });
    }
    return { protocolVersion, changed: true, patientsRederived: ids.length };
  });
}
