import { lockPatient } from "../db/queries/lock.ts";
import { withTransaction, type Ctx } from "./context.ts";
import type { PatientInput, StudyInput } from "./inputs/study.ts";
import { putStudy } from "./put-study.ts";
import { recomputePatient } from "./recompute-patient.ts";
import { upsertPatient } from "./upsert-patient.ts";

export interface PatientBatch {
  patientId: string;
  patient: PatientInput;
  studies: { studyKey: string; input: StudyInput }[];
}

/**
 * Creates or updates a patient and all the given studies in ONE transaction, re-deriving
 * once at the end (bulk import and demo seeding); the result equals study-by-study ingest.
 */
export async function ingestPatient({ ctx, cohortId, batch }: { ctx: Ctx; cohortId: string; batch: PatientBatch }) {
  return withTransaction(ctx, async (tx) => {
    const inner: Ctx = { ...ctx, tx };
    await lockPatient(tx, cohortId, batch.patientId);
    const p = await upsertPatient({ ctx: inner, cohortId, patientId: batch.patientId, input: batch.patient, deferRecompute: true });
    let changed = p.changed;
    let created = 0;
    for (const s of batch.studies) {
      const r = await putStudy({ ctx: inner, cohortId, patientId: batch.patientId, studyKey: s.studyKey, input: s.input, deferRecompute: true });
      changed ||= r.changed;
      if (r.created) created++;
    }
    if (changed) await recomputePatient({ ctx: inner, tx, cohortId, patientId: batch.patientId });
    return { patientCreated: p.created, studiesCreated: created, changed };
  });
}
