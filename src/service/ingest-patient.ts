import { cohortSettingsOf, findCohort } from "../db/queries/cohorts.ts";
import { appendAuditMany } from "../db/queries/audit.ts";
import { bumpRevision, loadStudies } from "../db/queries/patients.ts";
import { deleteStudies, insertStudies, studyHashes } from "../db/queries/studies.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { AppError, notFound } from "./errors.ts";
import type { PatientInput, StudyInput } from "./inputs/study.ts";
import { recomputePatient } from "./recompute-patient.ts";
import { checkStudies, pendingStudy, studyRows } from "./study-write.ts";
import { upsertPatient } from "./upsert-patient.ts";

export interface PatientBatch {
  patientId: string;
  patient: PatientInput;
  studies: { studyKey: string; input: StudyInput }[];
}

/**
 * Creates or updates a patient and all the given studies in ONE transaction with a handful of
 * statements (bulk import, demo seeding, load seeding), re-deriving once at the end. The stored
 * result equals study-by-study ingest through the API; unchanged study bodies are skipped.
 */
export async function ingestPatient({ ctx, cohortId, batch }: { ctx: Ctx; cohortId: string; batch: PatientBatch }) {
  const keys = new Set<string>();
  batch.studies.forEach((s, i) => {
    if (keys.has(s.studyKey)) throw new AppError("validation_failed", `studies[${i}].studyKey: study ${s.studyKey} appears twice`, [{ path: `studies[${i}].studyKey`, message: "duplicate study key" }]);
    keys.add(s.studyKey);
  });
  const pending = batch.studies.map((s) => pendingStudy(s.studyKey, s.input));
  return withTransaction(ctx, async (tx) => {
    const cohortRow = await findCohort(tx, cohortId);
    if (!cohortRow) throw notFound(`cohort ${cohortId}`);
    const inner: Ctx = { ...ctx, tx };
    await lockPatient(tx, cohortId, batch.patientId);
    const p = await upsertPatient({ ctx: inner, cohortId, patientId: batch.patientId, input: batch.patient, deferRecompute: true });
    const stored = await studyHashes(tx, cohortId, batch.patientId);
    const changed = pending.filter((s) => stored.get(s.studyKey)?.bodyHash !== s.bodyHash);
    if (changed.length === 0) {
      if (p.changed) await recomputePatient({ ctx: inner, tx, cohortId, patientId: batch.patientId });
      return { patientCreated: p.created, studiesCreated: 0, changed: p.changed };
    }
    const replaced = new Set(changed.map((s) => s.studyKey));
    const all = stored.size > 0 ? await loadStudies(tx, cohortId, batch.patientId) : [];
    checkStudies(all.filter((s) => !replaced.has(s.key)), changed, (k) => `studies[${pending.indexOf(changed[k]!)}].input.`);

    const at = nowIso(ctx);
    const interval = cohortSettingsOf(cohortRow).scanIntervalDays;
    const rows = changed.map((s) => studyRows({ cohortId, patientId: batch.patientId }, s, interval, at, stored.get(s.studyKey)?.createdAt ?? at));
    await deleteStudies(tx, cohortId, batch.patientId, changed.filter((s) => stored.has(s.studyKey)).map((s) => s.studyKey));
    await insertStudies(tx, rows.map((r) => r.study), rows.flatMap((r) => r.observations));
    await bumpRevision(tx, cohortId, batch.patientId, at);
    const beforeOf = new Map(all.map((s) => [s.key, s]));
    await appendAuditMany(
      tx,
      changed.map((s) => ({
        cohortId, patientId: batch.patientId, at, actor: ctx.actor,
        action: stored.has(s.studyKey) ? "study.replace" : "study.create",
        route: ctx.route ?? null, requestId: ctx.requestId ?? null,
        before: beforeOf.get(s.studyKey) ?? null, after: { studyKey: s.studyKey, ...s.input },
      })),
    );
    await recomputePatient({ ctx: inner, tx, cohortId, patientId: batch.patientId });
    return { patientCreated: p.created, studiesCreated: changed.filter((s) => !stored.has(s.studyKey)).length, changed: true };
  });
}
