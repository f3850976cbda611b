import { eq } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { patients } from "../db/schema/index.ts";
import { bumpRevisions } from "../db/queries/patients.ts";
import type { Ctx } from "./context.ts";
import { recomputePatients } from "./recompute-patient.ts";

/** Patients re-derived per batch of statements. */
const REDERIVE_BATCH = 100;

/**
 * Re-derives every patient of a cohort (new revision each) inside the caller's transaction,
 * which holds the cohort's exclusive lock: no patient locks needed. Returns how many.
 */
export async function rederiveCohort({ ctx, tx, cohortId, at }: { ctx: Ctx; tx: Tx; cohortId: string; at: string }): Promise<number> {
  const ids = await tx.select({ patientId: patients.patientId }).from(patients).where(eq(patients.cohortId, cohortId)).orderBy(patients.patientId);
  for (let i = 0; i < ids.length; i += REDERIVE_BATCH) {
    const batch = ids.slice(i, i + REDERIVE_BATCH).map((r) => r.patientId);
    await bumpRevisions(tx, cohortId, batch, at);
    await recomputePatients({ ctx, tx, cohortId, patientIds: batch });
  }
  return ids.length;
}
