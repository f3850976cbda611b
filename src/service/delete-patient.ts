import { findCohort } from "../db/queries/cohorts.ts";
import { findPatient } from "../db/queries/patients.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { countMeasurements, deletePatientRows } from "../db/queries/removal.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/**
 * Erases a patient (consent withdrawal): studies, observations, tracks, corrections, timeline
 * and the earlier audit entries that hold its measurements, in one transaction. One audit entry
 * stays: who and when, and how much was erased, never what.
 */
export async function deletePatient({ ctx, cohortId, patientId }: { ctx: Ctx; cohortId: string; patientId: string }) {
  return withTransaction(ctx, async (tx) => {
    if (!(await findCohort(tx, cohortId))) throw notFound(`cohort ${cohortId}`);
    await lockPatient(tx, cohortId, patientId);
    if (!(await findPatient(tx, cohortId, patientId))) throw notFound(`patient ${patientId}`);
    const { studies, observations } = await countMeasurements(tx, cohortId, patientId);
    await deletePatientRows(tx, cohortId, patientId);
    const at = nowIso(ctx);
    await appendAudit(tx, { cohortId, patientId, at, actor: ctx.actor, action: "patient.delete", route: ctx.route ?? null, requestId: ctx.requestId ?? null, before: { studies, observations }, after: null });
    return { patientId, deletedAt: at, studies, observations };
  });
}
