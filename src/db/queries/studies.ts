import { and, eq, inArray } from "drizzle-orm";
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

/** Each stored study's body hash and creation time: enough to tell an unchanged study. */
export async function studyHashes(db: Db | Tx, cohortId: string, patientId: string): Promise<Map<string, { bodyHash: string; createdAt: string }>> {
  const rows = await db
    .select({ studyKey: studies.studyKey, bodyHash: studies.bodyHash, createdAt: studies.createdAt })
    .from(studies)
    .where(and(eq(studies.cohortId, cohortId), eq(studies.patientId, patientId)));
  return new Map(rows.map((r) => [r.studyKey, { bodyHash: r.bodyHash, createdAt: r.createdAt }]));
}

/** Deletes studies; their observations go with them (foreign key cascade). */
export async function deleteStudies(tx: Tx, cohortId: string, patientId: string, studyKeys: string[]): Promise<void> {
  if (studyKeys.length === 0) return;
  await tx.delete(studies).where(and(eq(studies.cohortId, cohortId), eq(studies.patientId, patientId), inArray(studies.studyKey, studyKeys)));
}

/** PostgreSQL takes at most 65,535 parameters a statement: observation rows go in chunks. */
const OBSERVATION_CHUNK = 2000;

export async function insertStudies(tx: Tx, studyRows: (typeof studies.$inferInsert)[], obs: (typeof observations.$inferInsert)[]): Promise<void> {
  if (studyRows.length > 0) await tx.insert(studies).values(studyRows);
  for (let i = 0; i < obs.length; i += OBSERVATION_CHUNK) await tx.insert(observations).values(obs.slice(i, i + OBSERVATION_CHUNK));
}
