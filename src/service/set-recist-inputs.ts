import { and, eq } from "drizzle-orm";
import { patients, tracks } from "../db/schema/index.ts";
import { bumpRevision, findPatient, loadCorrections, loadStudies } from "../db/queries/patients.ts";
import { cohortSettingsOf, findCohort } from "../db/queries/cohorts.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { TRACK_FLAG_LISTS } from "../domain/recist/follow-up-flags.ts";
import { derivePatient } from "../domain/timeline/derive.ts";
import type { RecistAnnotations } from "../domain/timeline/types.ts";
import type { Tx } from "../db/client.ts";
import type { StudyRecord } from "../domain/timeline/types.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { AppError, notFound, type FieldIssue } from "./errors.ts";
import { recomputePatient } from "./recompute-patient.ts";

export interface RecistInputsBody extends RecistAnnotations {
  referenceDate?: string | null;
}

/**
 * Flags that contradict a measurement at the same study (a disappeared or not-evaluated track
 * that was measured, too small to measure at >= minMeasurableMm, non-target absent but seen)
 * are refused, each naming its field: the patient is derived with the new inputs to find them.
 */
async function refuseContradictions({ tx, cohortId, patientId, studies, input }: { tx: Tx; cohortId: string; patientId: string; studies: StudyRecord[]; input: RecistInputsBody }) {
  // Only these flags can contradict a measurement; without them the extra derivation is skipped.
  const canConflict = Object.values(input.studyFlags ?? {}).some((f) =>
    (f.tooSmallToMeasure?.length ?? 0) + (f.notEvaluated?.length ?? 0) + (f.disappeared?.length ?? 0) > 0 || Object.values(f.nonTargetStatus ?? {}).includes("absent"));
  if (!canConflict) return;
  const cohort = await findCohort(tx, cohortId);
  if (!cohort) return;
  const { recist } = derivePatient({
    studies, corrections: await loadCorrections(tx, cohortId, patientId), recist: input, referenceDate: null, cohort: cohortSettingsOf(cohort),
  });
  const issues = recist.conflicts.map((c): FieldIssue => {
    const flags = input.studyFlags?.[c.studyKey];
    const path = c.flag === "nonTargetStatus"
      ? `studyFlags.${c.studyKey}.nonTargetStatus.${c.trackId}`
      : `studyFlags.${c.studyKey}.${c.flag}[${(flags?.[c.flag] ?? []).indexOf(c.trackId)}]`;
    return { path, message: `track ${c.trackId}: ${c.message}` };
  });
  if (issues.length > 0) throw new AppError("validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
}

/**
 * Stores people's RECIST inputs for a patient (baseline target / non-target designations,
 * per-study flags, reference date) and re-derives it. Unknown track ids or study keys are 400.
 */
export async function setRecistInputs({ ctx, cohortId, patientId, input }: { ctx: Ctx; cohortId: string; patientId: string; input: RecistInputsBody }) {
  return withTransaction(ctx, async (tx) => {
    await lockPatient(tx, cohortId, patientId);
    const patient = await findPatient(tx, cohortId, patientId);
    if (!patient) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
    const trackIds = new Set((await tx.select({ id: tracks.trackId }).from(tracks).where(and(eq(tracks.cohortId, cohortId), eq(tracks.patientId, patientId)))).map((r) => r.id));
    const studies = await loadStudies(tx, cohortId, patientId);
    const studyKeys = new Set(studies.map((s) => s.key));
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    (input.designations ?? []).forEach((d, i) => {
      if (!trackIds.has(d.trackId)) issues.push({ path: `designations[${i}].trackId`, message: `no track ${d.trackId} for this patient` });
      if (seen.has(d.trackId)) issues.push({ path: `designations[${i}].trackId`, message: `track ${d.trackId} designated twice` });
      seen.add(d.trackId);
    });
    for (const [key, flags] of Object.entries(input.studyFlags ?? {})) {
      if (!studyKeys.has(key)) issues.push({ path: `studyFlags.${key}`, message: `no study ${key} for this patient` });
      for (const id of Object.keys(flags.nonTargetStatus ?? {})) {
        if (!trackIds.has(id)) issues.push({ path: `studyFlags.${key}.nonTargetStatus.${id}`, message: `no track ${id} for this patient` });
      }
      // A lesion is either measured-small, gone or not looked at: one of these per study.
      const stateOf = new Map<string, string>();
      for (const field of TRACK_FLAG_LISTS) {
        (flags[field] ?? []).forEach((id, i) => {
          const path = `studyFlags.${key}.${field}[${i}]`;
          if (!trackIds.has(id)) issues.push({ path, message: `no track ${id} for this patient` });
          if (field !== "tooSmallToMeasure" && field !== "notEvaluated" && field !== "disappeared") return;
          const other = stateOf.get(id);
          if (other !== undefined) issues.push({ path, message: `track ${id} is also flagged ${other} at this study` });
          stateOf.set(id, field);
        });
      }
    }
    if (issues.length > 0) throw new AppError("validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
    await refuseContradictions({ tx, cohortId, patientId, studies, input });

    const next: RecistAnnotations = { ...(input.designations ? { designations: input.designations } : {}), ...(input.studyFlags ? { studyFlags: input.studyFlags } : {}) };
    const referenceDate = input.referenceDate === undefined ? patient.referenceDate : input.referenceDate;
    if (JSON.stringify(next) === JSON.stringify(patient.recistInputs) && referenceDate === patient.referenceDate) return { changed: false, revision: patient.revision };
    const at = nowIso(ctx);
    await tx.update(patients).set({ recistInputs: next as Record<string, unknown>, referenceDate, updatedAt: at }).where(and(eq(patients.cohortId, cohortId), eq(patients.patientId, patientId)));
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, {
      cohortId, patientId, at, actor: ctx.actor, action: "patient.recist-inputs", route: ctx.route ?? null, requestId: ctx.requestId ?? null,
      before: { recistInputs: patient.recistInputs, referenceDate: patient.referenceDate },
      after: { recistInputs: next, referenceDate },
    });
    await recomputePatient({ ctx, tx, cohortId, patientId });
    return { changed: true, revision };
  });
}
