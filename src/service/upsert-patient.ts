import { and, eq } from "drizzle-orm";
import { patients } from "../db/schema/index.ts";
import { findCohort } from "../db/queries/cohorts.ts";
import { bumpRevision, findPatient } from "../db/queries/patients.ts";
import { appendAudit, type AuditEntry } from "../db/queries/audit.ts";
import { lockPatient } from "../db/queries/lock.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import type { PatientInput } from "./inputs/study.ts";
import { recomputePatient } from "./recompute-patient.ts";
import { canonicalJson } from "./study-write.ts";

/** The stored attributes a patient body sets (absent = null). */
export function patientAttributes(input: PatientInput) {
  return { sex: input.sex ?? null, birthYear: input.birthYear ?? null, referenceDate: input.referenceDate ?? null, metadata: input.metadata };
}

/** Patient attributes as stored (sex is any stored string, so rows compare too). */
export interface PatientAttributes {
  sex: string | null;
  birthYear: number | null;
  referenceDate: string | null;
  metadata: Record<string, unknown>;
}

/** Whether a body would change nothing of a stored patient. */
export function samePatient(existing: PatientAttributes, next: PatientAttributes): boolean {
  // jsonb stores object keys in its own order: compare key-order independent forms.
  return existing.sex === next.sex && existing.birthYear === next.birthYear && existing.referenceDate === next.referenceDate && canonicalJson(existing.metadata) === canonicalJson(next.metadata);
}

/** Audit entry of a created or changed patient. */
export function patientAudit(ctx: Ctx, key: { cohortId: string; patientId: string }, existing: PatientAttributes | undefined, next: PatientAttributes, at: string): AuditEntry {
  return {
    ...key, at, actor: ctx.actor, action: existing ? "patient.update" : "patient.create",
    route: ctx.route ?? null, requestId: ctx.requestId ?? null,
    before: existing ? { sex: existing.sex, birthYear: existing.birthYear, referenceDate: existing.referenceDate, metadata: existing.metadata } : null,
    after: next,
  };
}

/** Creates or updates a patient's attributes; an identical body changes nothing. */
export async function upsertPatient({ ctx, cohortId, patientId, input }: { ctx: Ctx; cohortId: string; patientId: string; input: PatientInput }) {
  return withTransaction(ctx, async (tx) => {
    if (!(await findCohort(tx, cohortId))) throw notFound(`cohort ${cohortId}`);
    await lockPatient(tx, cohortId, patientId);
    const existing = await findPatient(tx, cohortId, patientId);
    const next = patientAttributes(input);
    const at = nowIso(ctx);
    if (existing) {
      if (samePatient(existing, next)) return { created: false, changed: false, revision: existing.revision };
      await tx.update(patients).set({ ...next, updatedAt: at }).where(and(eq(patients.cohortId, cohortId), eq(patients.patientId, patientId)));
    } else {
      await tx.insert(patients).values({ cohortId, patientId, ...next, createdAt: at, updatedAt: at });
    }
    const revision = await bumpRevision(tx, cohortId, patientId, at);
    await appendAudit(tx, patientAudit(ctx, { cohortId, patientId }, existing, next, at));
    await recomputePatient({ ctx, tx, cohortId, patientId });
    return { created: !existing, changed: true, revision };
  });
}
