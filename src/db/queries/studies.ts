import { and, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "../client.ts";
import { ofPatients } from "./of-patients.ts";
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
  return (await studyHashesOf(db, cohortId, [patientId])).get(patientId) ?? new Map();
}

/** studyHashes of several patients in one statement; absent = no stored study. */
export async function studyHashesOf(db: Db | Tx, cohortId: string, patientIds: readonly string[]): Promise<Map<string, Map<string, { bodyHash: string; createdAt: string }>>> {
  const out = new Map<string, Map<string, { bodyHash: string; createdAt: string }>>();
  if (patientIds.length === 0) return out;
  const rows = await db
    .select({ patientId: studies.patientId, studyKey: studies.studyKey, bodyHash: studies.bodyHash, createdAt: studies.createdAt })
    .from(studies)
    .where(ofPatients(studies, cohortId, patientIds));
  for (const r of rows) {
    const m = out.get(r.patientId) ?? new Map<string, { bodyHash: string; createdAt: string }>();
    m.set(r.studyKey, { bodyHash: r.bodyHash, createdAt: r.createdAt });
    out.set(r.patientId, m);
  }
  return out;
}

/** Deletes studies; their observations go with them (foreign key cascade). */
export async function deleteStudies(tx: Tx, cohortId: string, patientId: string, studyKeys: string[]): Promise<void> {
  if (studyKeys.length === 0) return;
  await tx.delete(studies).where(and(eq(studies.cohortId, cohortId), eq(studies.patientId, patientId), inArray(studies.studyKey, studyKeys)));
}

/** PostgreSQL takes at most 65,535 parameters a statement: observation rows go in chunks. */
const OBSERVATION_CHUNK = 2000;

export async function insertStudies(tx: Tx, studyRows: (typeof studies.$inferInsert)[], obs: (typeof observations.$inferInsert)[]): Promise<void> {
  for (let i = 0; i < studyRows.length; i += OBSERVATION_CHUNK) await tx.insert(studies).values(studyRows.slice(i, i + OBSERVATION_CHUNK));
  for (let i = 0; i < obs.length; i += OBSERVATION_CHUNK) await tx.insert(observations).values(obs.slice(i, i + OBSERVATION_CHUNK));
}
