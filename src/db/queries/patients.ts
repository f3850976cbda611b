import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Db, Tx } from "../client.ts";
import { linkCorrections, observations, patients, patientTimelines, studies, trackLinks, tracks } from "../schema/index.ts";
import type { Observation } from "../../domain/observation.ts";
import type { LinkCorrection, PatientRecord, RecistAnnotations, StudyRecord } from "../../domain/timeline/types.ts";
import type { TimeAxis } from "../../domain/timeline/time-axis.ts";

export type PatientRow = typeof patients.$inferSelect;

export async function findPatient(db: Db | Tx, cohortId: string, patientId: string): Promise<PatientRow | undefined> {
  const rows = await db
    .select()
    .from(patients)
    .where(and(eq(patients.cohortId, cohortId), eq(patients.patientId, patientId)))
    .limit(1);
  return rows[0];
}

export function patientRecordOf(p: PatientRow): PatientRecord {
  return {
    cohortId: p.cohortId,
    patientId: p.patientId,
    sex: p.sex,
    birthYear: p.birthYear,
    metadata: p.metadata,
    referenceDate: p.referenceDate,
    revision: p.revision,
  };
}

/** All stored studies of a patient with their observations, in storage order (the domain sorts). */
export async function loadStudies(db: Db | Tx, cohortId: string, patientId: string): Promise<StudyRecord[]> {
  const studyRows = await db
    .select()
    .from(studies)
    .where(and(eq(studies.cohortId, cohortId), eq(studies.patientId, patientId)));
  const obsRows = await db
    .select()
    .from(observations)
    .where(and(eq(observations.cohortId, cohortId), eq(observations.patientId, patientId)))
    .orderBy(asc(observations.studyKey), asc(observations.ordinal));
  const byStudy = new Map<string, Observation[]>();
  for (const o of obsRows) {
    const list = byStudy.get(o.studyKey) ?? [];
    list.push({
      id: o.observationId,
      positionMm: o.positionMm,
      positionNormalized: o.positionNormalized,
      longAxisMm: o.longAxisMm,
      shortAxisMm: o.shortAxisMm,
      organ: o.organ,
      lesionType: o.lesionType,
      nodal: o.nodal,
      embedding: o.embedding,
      source: o.source,
    });
    byStudy.set(o.studyKey, list);
  }
  return studyRows.map((s) => ({
    key: s.studyKey,
    date: s.date,
    dayOffset: s.dayOffset,
    orderIndex: s.orderIndex,
    ageYears: s.ageYears,
    timeDays: s.timeDays,
    timeAxis: s.timeAxis as TimeAxis,
    modality: s.modality,
    sliceThicknessMm: s.sliceThicknessMm,
    observations: byStudy.get(s.studyKey) ?? [],
  }));
}

export async function loadCorrections(db: Db | Tx, cohortId: string, patientId: string): Promise<(LinkCorrection & { correctionId: number })[]> {
  const rows = await db
    .select()
    .from(linkCorrections)
    .where(and(eq(linkCorrections.cohortId, cohortId), eq(linkCorrections.patientId, patientId)))
    .orderBy(asc(linkCorrections.correctionId));
  return rows.map((r) => ({ correctionId: r.correctionId, kind: r.kind, fromObservationId: r.fromObservationId, toObservationId: r.toObservationId }));
}

export function recistAnnotationsOf(p: PatientRow): RecistAnnotations {
  return p.recistInputs as RecistAnnotations;
}

/** Bumps the patient's revision (the ETag of its timeline) and returns the new value. */
export async function bumpRevision(tx: Tx, cohortId: string, patientId: string, at: string): Promise<number> {
  const rows = await tx
    .update(patients)
    .set({ revision: sql`${patients.revision} + 1`, updatedAt: at })
    .where(and(eq(patients.cohortId, cohortId), eq(patients.patientId, patientId)))
    .returning({ revision: patients.revision });
  return rows[0]!.revision;
}

/** Keyset pagination over patient ids, with the summary stored by the last derivation. */
export async function listPatients(db: Db | Tx, cohortId: string, limit: number, after?: string) {
  const where = after ? and(eq(patients.cohortId, cohortId), gt(patients.patientId, after)) : eq(patients.cohortId, cohortId);
  return db
    .select({
      patientId: patients.patientId,
      sex: patients.sex,
      birthYear: patients.birthYear,
      revision: patients.revision,
      updatedAt: patients.updatedAt,
      summary: patientTimelines.summary,
    })
    .from(patients)
    .leftJoin(patientTimelines, and(eq(patientTimelines.cohortId, patients.cohortId), eq(patientTimelines.patientId, patients.patientId)))
    .where(where)
    .orderBy(asc(patients.patientId))
    .limit(limit);
}

export interface DerivedRows {
  tracks: { trackId: string; label: string; observationIds: string[] }[];
  links: { fromObservationId: string; toObservationId: string; cost: number; confidence: number; source: string }[];
  timelineBody: string;
  summary: Record<string, unknown>;
  revision: number;
}

/** Replaces everything derived for one patient, inside the caller's transaction. */
export async function writeDerived(tx: Tx, cohortId: string, patientId: string, d: DerivedRows, at: string): Promise<void> {
  const key = and(eq(tracks.cohortId, cohortId), eq(tracks.patientId, patientId));
  await tx.delete(tracks).where(key);
  await tx.delete(trackLinks).where(and(eq(trackLinks.cohortId, cohortId), eq(trackLinks.patientId, patientId)));
  if (d.tracks.length > 0) await tx.insert(tracks).values(d.tracks.map((t) => ({ cohortId, patientId, ...t })));
  if (d.links.length > 0) await tx.insert(trackLinks).values(d.links.map((l) => ({ cohortId, patientId, ...l })));
  await tx
    .insert(patientTimelines)
    .values({ cohortId, patientId, revision: d.revision, body: d.timelineBody, summary: d.summary, computedAt: at })
    .onConflictDoUpdate({
      target: [patientTimelines.cohortId, patientTimelines.patientId],
      set: { revision: d.revision, body: d.timelineBody, summary: d.summary, computedAt: at },
    });
  // Delivered to every listening server after commit: their cached copies of this timeline are stale.
  await tx.execute(sql`select pg_notify(${TIMELINE_CHANNEL}, ${JSON.stringify([cohortId, patientId, d.revision])})`);
}

/** NOTIFY channel announcing a new timeline revision: payload JSON [cohortId, patientId, revision]. */
export const TIMELINE_CHANNEL = "lesiontrack_timeline";

function prepareTimelineRead(db: Db | Tx) {
  return db
    .select({
      revision: patientTimelines.revision,
      body: sql<string | null>`case when ${patientTimelines.revision} = ${sql.placeholder("known")} then null else ${patientTimelines.body} end`,
    })
    .from(patientTimelines)
    .where(and(eq(patientTimelines.cohortId, sql.placeholder("cohortId")), eq(patientTimelines.patientId, sql.placeholder("patientId"))))
    .limit(1)
    .prepare("read_timeline");
}

/** The hottest query: built once per database and prepared, so a read costs the driver only. */
const preparedTimelineReads = new WeakMap<object, ReturnType<typeof prepareTimelineRead>>();

/** One indexed read: the revision always, the body only when the caller's ETag is stale. */
export async function readTimeline(db: Db | Tx, cohortId: string, patientId: string, knownRevision: number | null) {
  let read = preparedTimelineReads.get(db);
  if (!read) preparedTimelineReads.set(db, (read = prepareTimelineRead(db)));
  // -1 is never a revision, so "no ETag" always returns the body.
  const rows = await read.execute({ cohortId, patientId, known: knownRevision ?? -1 });
  return rows[0];
}
