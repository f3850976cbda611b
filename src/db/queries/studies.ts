import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "../client.ts";
import { observations, studies } from "../schema/index.ts";

export type StudyRow = typeof studies.$inferSelect;

export async function findStudy(db: Db | Tx, cohortId: string, patientId: string, studyKey: string): Promise<StudyRow | undefined> {
  const rows = await db
    .select()
    .from(studies)
    .where(and(eq(studies.cohortId, cohortId), eq(studies.patientId, patientId), eq(studies.studyKey, studyKey)))
    .limit(1);
  return rows[0];
}

/** Deletes a study; its observations go with it (foreign key cascade). */
export async function deleteStudy(tx: Tx, cohortId: string, patientId: string, studyKey: string): Promise<void> {
  await tx.delete(studies).where(and(eq(studies.cohortId, cohortId), eq(studies.patientId, patientId), eq(studies.studyKey, studyKey)));
}

export async function insertStudy(
  tx: Tx,
  study: typeof studies.$inferInsert,
  obs: (typeof observations.$inferInsert)[],
): Promise<void> {
  await tx.insert(studies).values(study);
  if (obs.length > 0) await tx.insert(observations).values(obs);
}

/** Observation ids a patient already uses outside the given study (ids are unique per patient). */
export async function observationIdsOutsideStudy(db: Db | Tx, cohortId: string, patientId: string, studyKey: string): Promise<Map<string, string>> {
  const rows = await db
    .select({ id: observations.observationId, studyKey: observations.studyKey, dim: observations.embedding })
    .from(observations)
    .where(and(eq(observations.cohortId, cohortId), eq(observations.patientId, patientId)));
  return new Map(rows.filter((r) => r.studyKey !== studyKey).map((r) => [r.id, r.studyKey]));
}
