import { createHash } from "node:crypto";
import { findCohort, cohortSettingsOf } from "../db/queries/cohorts.ts";
import { findPatient, bumpRevision, loadStudies } from "../db/queries/patients.ts";
import { deleteStudy, findStudy, insertStudy } from "../db/queries/studies.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { timeAxisOf, timeDaysOf } from "../domain/timeline/time-axis.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { invalid, notFound } from "./errors.ts";
import type { StudyInput } from "./inputs/study.ts";
import { recomputePatient } from "./recompute-patient.ts";

export interface PutStudyResult {
  created: boolean;
  changed: boolean;
  revision: number;
  studyKey: string;
  observationIds: string[];
}

/** Key order independent hash of a JSON value: the same study body twice is recognised. */
function canonicalHash(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canon) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
  return createHash("sha256").update(JSON.stringify(canon(value))).digest("hex");
}

/**
 * Creates or replaces one study with all its observations, then re-derives the patient,
 * all in one transaction under the patient lock. The same body twice changes nothing.
 */
export async function putStudy({ ctx, cohortId, patientId, studyKey, input, deferRecompute = false }: { ctx: Ctx; cohortId: string; patientId: string; studyKey: string; input: StudyInput; /** the caller re-derives once after a batch */ deferRecompute?: boolean }): Promise<PutStudyResult> {
  const bodyHash = canonicalHash(input);
  const observationIds = input.observations.map((o, i) => o.id ?? `${studyKey}/${i + 1}`);
  return withTransaction(ctx, async (tx) => {
    const cohortRow = await findCohort(tx, cohortId);
    if (!cohortRow) throw notFound(`cohort ${cohortId}`);
    await lockPatient(tx, cohortId, patientId);
    const patient = await findPatient(tx, cohortId, patientId);
    if (!patient) throw notFound(`patient ${patientId}`);
    const existing = await findStudy(tx, cohortId, patientId, studyKey);
    if (existing && existing.bodyHash === bodyHash) {
      return { created: false, changed: false, revision: patient.revision, studyKey, observationIds };
    }

    const others = (await loadStudies(tx, cohortId, patientId)).filter((s) => s.key !== studyKey);
    const axis = timeAxisOf(input)!;
    const otherAxis = others[0]?.timeAxis;
    if (otherAxis && otherAxis !== axis)
      throw invalid(axis === "date" ? "date" : axis, `this patient's studies are on the ${otherAxis} time axis; a study with ${axis} cannot be placed on it`);
    const usedIds = new Map(others.flatMap((s) => s.observations.map((o) => [o.id, s.key] as const)));
    observationIds.forEach((id, i) => {
      if (usedIds.has(id)) throw invalid(`observations[${i}].id`, `observation id ${id} is already used in study ${usedIds.get(id)}`);
    });
    const knownDim = others.flatMap((s) => s.observations).find((o) => o.embedding)?.embedding?.length;
    input.observations.forEach((o, i) => {
      if (o.embedding && knownDim !== undefined && o.embedding.length !== knownDim)
        throw invalid(`observations[${i}].embedding`, `embedding dimension ${o.embedding.length} differs from this patient's earlier embeddings (${knownDim})`);
    });

    const at = nowIso(ctx);
    const cohort = cohortSettingsOf(cohortRow);
    const before = existing ? { study: existing, observations: (await loadStudies(tx, cohortId, patientId)).find((s) => s.key === studyKey)?.observations ?? [] } : null;
    if (existing) await deleteStudy(tx, cohortId, patientId, studyKey);
    await insertStudy(
      tx,
      {
        cohortId, patientId, studyKey,
        date: input.date ?? null,
        dayOffset: input.dayOffset ?? null,
        orderIndex: input.orderIndex ?? null,
        ageYears: input.ageYears ?? null,
        timeDays: timeDaysOf(input, axis, cohort.scanIntervalDays),
        timeAxis: axis,
        modality: input.modality,
        sliceThicknessMm: input.sliceThicknessMm ?? null,
        bodyHash,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      },
      input.observations.map((o, i) => ({
        cohortId, patientId, studyKey,
        observationId: observationIds[i]!,
        ordinal: i,
        positionMm: o.positionMm ?? null,
        positionNormalized: o.positionNormalized ?? null,
        longAxisMm: o.longAxisMm,
        shortAxisMm: o.shortAxisMm,
        organ: o.organ ?? null,
        lesionType: o.lesionType ?? null,
        nodal: o.nodal,
        embedding: o.embedding ?? null,
        source: o.source ?? null,
        noisy: o.noisy,
      })),
    );
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, {
      cohortId, patientId, at, actor: ctx.actor,
      action: existing ? "study.replace" : "study.create",
      route: ctx.route ?? null, requestId: ctx.requestId ?? null,
      before, after: { studyKey, ...input },
    });
    if (!deferRecompute) await recomputePatient({ ctx, tx, cohortId, patientId });
    return { created: !existing, changed: true, revision, studyKey, observationIds };
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
    await deleteStudy(tx, cohortId, patientId, studyKey);
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, { cohortId, patientId, at, actor: ctx.actor, action: "study.delete", route: ctx.route ?? null, requestId: ctx.requestId ?? null, before: existing, after: null });
    await recomputePatient({ ctx, tx, cohortId, patientId });
    return { revision };
  });
}

