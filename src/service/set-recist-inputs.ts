import { and, eq } from "drizzle-orm";
import { patients, tracks } from "../db/schema/index.ts";
import { bumpRevision, findPatient, loadStudies } from "../db/queries/patients.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import type { RecistAnnotations } from "../domain/timeline/types.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { AppError, notFound, type FieldIssue } from "./errors.ts";
import { recomputePatient } from "./recompute-patient.ts";

export interface RecistInputsBody extends RecistAnnotations {
  referenceDate?: string | null;
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
    const studyKeys = new Set((await loadStudies(tx, cohortId, patientId)).map((s) => s.key));
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    (input.designations ?? []).forEach((d, i) => {
      if (!trackIds.has(d.trackId)) issues.push({ path: `designations[${i}].trackId`, message: `no track ${d.trackId} for this patient` });
      if (seen.has(d.trackId)) issues.push({ path: `designations[${i}].trackId`, message: `track ${d.trackId} designated twice` });
      seen.add(d.trackId);
    });
    for (const [key, flags] of Object.entries(input.studyFlags ?? {})) {
      if (!studyKeys.has(key)) issues.push({ path: `studyFlags.${key}`, message: `no study ${key} for this patient` });
      for (const [field, ids] of [["tooSmallToMeasure", flags.tooSmallToMeasure], ["equivocalNew", flags.equivocalNew], ["nonTargetStatus", Object.keys(flags.nonTargetStatus ?? {})]] as const) {
        (ids ?? []).forEach((id, i) => {
          if (!trackIds.has(id)) issues.push({ path: `studyFlags.${key}.${field}${field === "nonTargetStatus" ? `.${id}` : `[${i}]`}`, message: `no track ${id} for this patient` });
        });
      }
    }
    if (issues.length > 0) throw new AppError("validation_failed", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);

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
