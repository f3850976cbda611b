import { findCohort, cohortSettingsOf } from "../db/queries/cohorts.ts";
import { findPatient, bumpRevision, loadStudies } from "../db/queries/patients.ts";
import { deleteStudies, findStudy, insertStudies } from "../db/queries/studies.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import type { StudyInput } from "./inputs/study.ts";
import { recomputePatient } from "./recompute-patient.ts";
import { patientAttributes, patientAudit } from "./upsert-patient.ts";
import { patients } from "../db/schema/index.ts";
import { checkStudies, pendingStudy, studyAudit, studyRows } from "./study-write.ts";

export interface PutStudyResult {
  created: boolean;
  changed: boolean;
  revision: number;
  /** The patient did not exist: it was created without attributes (as bulk ingest does). */
  patientCreated: boolean;
  studyKey: string;
  observationIds: string[];
}

/**
 * Creates or replaces one study with all its observations, then re-derives the patient,
 * all in one transaction under the patient lock. The same body twice changes nothing.
 */
export async function putStudy({ ctx, cohortId, patientId, studyKey, input }: { ctx: Ctx; cohortId: string; patientId: string; studyKey: string; input: StudyInput }): Promise<PutStudyResult> {
  const pending = pendingStudy(studyKey, input);
  return withTransaction(ctx, async (tx) => {
    const cohortRow = await findCohort(tx, cohortId);
    if (!cohortRow) throw notFound(`cohort ${cohortId}`);
    await lockPatient(tx, cohortId, patientId);
    // Under the lock, independent reads sent together (one round trip on PostgreSQL).
    const [patient, existing, all] = await Promise.all([findPatient(tx, cohortId, patientId), findStudy(tx, cohortId, patientId, studyKey), loadStudies(tx, cohortId, patientId)]);
    if (patient && existing && existing.bodyHash === pending.bodyHash) {
      return { created: false, changed: false, revision: patient.revision, patientCreated: false, studyKey, observationIds: pending.observationIds };
    }
    checkStudies(all.filter((s) => s.key !== studyKey), [pending]);

    const at = nowIso(ctx);
    if (!patient) {
      const attributes = patientAttributes({ metadata: {} });
      await tx.insert(patients).values({ cohortId, patientId, ...attributes, createdAt: at, updatedAt: at });
      await appendAudit(tx, patientAudit(ctx, { cohortId, patientId }, undefined, attributes, at));
    }
    const rows = studyRows({ cohortId, patientId }, pending, cohortSettingsOf(cohortRow).scanIntervalDays, at, existing?.createdAt ?? at);
    const before = existing ? { study: existing, observations: all.find((s) => s.key === studyKey)?.observations ?? [] } : null;
    if (existing) await deleteStudies(tx, cohortId, patientId, [studyKey]);
    await insertStudies(tx, [rows.study], rows.observations);
    const [revision] = await Promise.all([
      bumpRevision(tx, cohortId, patientId, at),
      appendAudit(tx, studyAudit(ctx, { cohortId, patientId }, pending, before, at)),
    ]);
    await recomputePatient({ ctx, tx, cohortId, patientId });
    return { created: !existing, changed: true, revision, patientCreated: !patient, studyKey, observationIds: pending.observationIds };
  });
}

/** Deletes a study (and its observations), records it, and re-derives the patient. */
export async function removeStudy({ ctx, cohortId, patientId, studyKey }: { ctx: Ctx; cohortId: string; patientId: string; studyKey: string }): Promise<{ revision: number }> {
  return withTransaction(ctx, async (tx) => {
    if (!(await findCohort(tx, cohortId))) throw notFound(`cohort ${cohortId}`);
    await lockPatient(tx, cohortId, patientId);
    if (!(await findPatient(tx, cohortId, patientId))) throw notFound(`patient ${patientId}`);
    const existing = (await loadStudies(tx, cohortId, patientId)).find((s) => s.key === studyKey);
    if (!existing) throw notFound(`study ${studyKey}`);
    const at = nowIso(ctx);
    await deleteStudies(tx, cohortId, patientId, [studyKey]);
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, { cohortId, patientId, at, actor: ctx.actor, action: "study.delete", route: ctx.route ?? null, requestId: ctx.requestId ?? null, before: existing, after: null });
    await recomputePatient({ ctx, tx, cohortId, patientId });
    return { revision };
  });
}
