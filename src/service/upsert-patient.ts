import { and, eq } from "drizzle-orm";
import { patients } from "../db/schema/index.ts";
import { findCohort } from "../db/queries/cohorts.ts";
import { bumpRevision, findPatient } from "../db/queries/patients.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import type { PatientInput } from "./inputs/study.ts";
import { recomputePatient } from "./recompute-patient.ts";

/** Creates or updates a patient's attributes; an identical body changes nothing. */
export async function upsertPatient({ ctx, cohortId, patientId, input, deferRecompute = false }: { ctx: Ctx; cohortId: string; patientId: string; input: PatientInput; deferRecompute?: boolean }) {
  return withTransaction(ctx, async (tx) => {
    if (!(await findCohort(tx, cohortId))) throw notFound(`cohort ${cohortId}`);
    await lockPatient(tx, cohortId, patientId);
    const existing = await findPatient(tx, cohortId, patientId);
    const next = { sex: input.sex ?? null, birthYear: input.birthYear ?? null, referenceDate: input.referenceDate ?? null, metadata: input.metadata };
    const at = nowIso(ctx);
    if (existing) {
      const same = existing.sex === next.sex && existing.birthYear === next.birthYear && existing.referenceDate === next.referenceDate && JSON.stringify(existing.metadata) === JSON.stringify(next.metadata);
      if (same) return { created: false, changed: false, revision: existing.revision };
      await tx.update(patients).set({ ...next, updatedAt: at }).where(and(eq(patients.cohortId, cohortId), eq(patients.patientId, patientId)));
    } else {
      await tx.insert(patients).values({ cohortId, patientId, ...next, createdAt: at, updatedAt: at });
    }
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, {
      cohortId, patientId, at, actor: ctx.actor, action: existing ? "patient.update" : "patient.create",
      route: ctx.route ?? null, requestId: ctx.requestId ?? null,
      before: existing ? { sex: existing.sex, birthYear: existing.birthYear, referenceDate: existing.referenceDate, metadata: existing.metadata } : null,
      after: next,
    });
    if (!deferRecompute) await recomputePatient({ ctx, tx, cohortId, patientId });
    return { created: !existing, changed: true, revision };
  });
}
