import { findCohort } from "../db/queries/cohorts.ts";
import { findPatient, loadStudies } from "../db/queries/patients.ts";
import { compareStudies } from "../domain/timeline/time-axis.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/** A patient's stored attributes with its study keys in time order. */
export async function getPatient({ ctx, cohortId, patientId }: { ctx: Ctx; cohortId: string; patientId: string }) {
  if (!(await findCohort(ctx.db, cohortId))) throw notFound(`cohort ${cohortId}`);
  const p = await findPatient(ctx.db, cohortId, patientId);
  if (!p) throw notFound(`patient ${patientId}`);
  const studies = (await loadStudies(ctx.db, cohortId, patientId)).sort(compareStudies);
  return {
    patientId: p.patientId, sex: p.sex, birthYear: p.birthYear, referenceDate: p.referenceDate, metadata: p.metadata,
    revision: p.revision, createdAt: p.createdAt, updatedAt: p.updatedAt, studyKeys: studies.map((s) => s.key),
  };
}

/** One stored study with its observations, as PUT took them (absent fields null). */
export async function getStudy({ ctx, cohortId, patientId, studyKey }: { ctx: Ctx; cohortId: string; patientId: string; studyKey: string }) {
  if (!(await findCohort(ctx.db, cohortId))) throw notFound(`cohort ${cohortId}`);
  if (!(await findPatient(ctx.db, cohortId, patientId))) throw notFound(`patient ${patientId}`);
  const s = (await loadStudies(ctx.db, cohortId, patientId)).find((x) => x.key === studyKey);
  if (!s) throw notFound(`study ${studyKey}`);
  return {
    studyKey: s.key, date: s.date, dayOffset: s.dayOffset, orderIndex: s.orderIndex, ageYears: s.ageYears,
    modality: s.modality, sliceThicknessMm: s.sliceThicknessMm, observations: s.observations,
  };
}
