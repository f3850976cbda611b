import { and, asc, eq, gt, sql } from "drizzle-orm";
import { ofPatients } from "./of-patients.ts";
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
  return (await loadStudiesOf(db, cohortId, [patientId])).get(patientId) ?? [];
}

/** The stored studies of several patients (two statements whatever their number); absent = none. */
export async function loadStudiesOf(db: Db | Tx, cohortId: string, patientIds: readonly string[]): Promise<Map<string, StudyRecord[]>> {
  const out = new Map<string, StudyRecord[]>();
  if (patientIds.length === 0) return out;
  // Sent together: on PostgreSQL one round trip (postgres.js pipelines a transaction's queries).
  const [studyRows, obsRows] = await Promise.all([
    db.select().from(studies).where(ofPatients(studies, cohortId, patientIds)),
    db.select().from(observations).where(ofPatients(observations, cohortId, patientIds)).orderBy(asc(observations.patientId), asc(observations.studyKey), asc(observations.ordinal)),
  ]);
  const byStudy = new Map<string, Observation[]>();
  for (const o of obsRows) {
    const key = `${o.patientId}/${o.studyKey}`;
    const list = byStudy.get(key) ?? [];
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
    byStudy.set(key, list);
  }
  for (const s of studyRows) {
    const list = out.get(s.patientId) ?? [];
    list.push({
      key: s.studyKey,
      date: s.date,
      dayOffset: s.dayOffset,
      orderIndex: s.orderIndex,
      ageYears: s.ageYears,
      timeDays: s.timeDays,
      timeAxis: s.timeAxis as TimeAxis,
      modality: s.modality,
      sliceThicknessMm: s.sliceThicknessMm,
      observations: byStudy.get(`${s.patientId}/${s.studyKey}`) ?? [],
    });
    out.set(s.patientId, list);
  }
  return out;
}

export async function loadCorrections(db: Db | Tx, cohortId: string, patientId: string): Promise<(LinkCorrection & { correctionId: number })[]> {
  return (await loadCorrectionsOf(db, cohortId, [patientId])).get(patientId) ?? [];
}

/** People's link corrections of several patients, oldest first; absent = none. */
export async function loadCorrectionsOf(db: Db | Tx, cohortId: string, patientIds: readonly string[]): Promise<Map<string, (LinkCorrection & { correctionId: number })[]>> {
  const out = new Map<string, (LinkCorrection & { correctionId: number })[]>();
  if (patientIds.length === 0) return out;
  const rows = await db
    .select()
    .from(linkCorrections)
    .where(ofPatients(linkCorrections, cohortId, patientIds))
    .orderBy(asc(linkCorrections.correctionId));
  for (const r of rows) {
    const list = out.get(r.patientId) ?? [];
    list.push({ correctionId: r.correctionId, kind: r.kind, fromObservationId: r.fromObservationId, toObservationId: r.toObservationId });
    out.set(r.patientId, list);
  }
  return out;
}

/** Patient rows by id (one statement). */
export async function findPatients(db: Db | Tx, cohortId: string, patientIds: readonly string[]): Promise<Map<string, PatientRow>> {
  if (patientIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(patients)
    .where(ofPatients(patients, cohortId, patientIds));
  return new Map(rows.map((r) => [r.patientId, r]));
}

export function recistAnnotationsOf(p: PatientRow): RecistAnnotations {
  return p.recistInputs as RecistAnnotations;
}

/** Bumps the patient's revision (the ETag of its timeline) and returns the new value. */
export async function bumpRevision(tx: Tx, cohortId: string, patientId: string, at: string): Promise<number> {
  return (await bumpRevisions(tx, cohortId, [patientId], at)).get(patientId)!;
}

/** Bumps several patients' revisions in one statement; the new values by patient id. */
export async function bumpRevisions(tx: Tx, cohortId: string, patientIds: readonly string[], at: string): Promise<Map<string, number>> {
  if (patientIds.length === 0) return new Map();
  const rows = await tx
    .update(patients)
    .set({ revision: sql`${patients.revision} + 1`, updatedAt: at })
    .where(ofPatients(patients, cohortId, patientIds))
    .returning({ patientId: patients.patientId, revision: patients.revision });
  return new Map(rows.map((r) => [r.patientId, r.revision]));
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
  await writeDerivedOf(tx, cohortId, [{ patientId, ...d }], at);
}

/**
 * Replaces everything derived for several patients with six statements whatever their number
 * (bulk ingest pays per batch, not per patient), inside the caller's transaction.
 */
export async function writeDerivedOf(tx: Tx, cohortId: string, items: readonly (DerivedRows & { patientId: string })[], at: string): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((d) => d.patientId);
  const trackRows = items.flatMap((d) => d.tracks.map((t) => ({ cohortId, patientId: d.patientId, ...t })));
  const linkRows = items.flatMap((d) => d.links.map((l) => ({ cohortId, patientId: d.patientId, ...l })));
  // Delivered to every listening server after commit: their cached copies of these timelines are stale.
  const payloads = JSON.stringify(items.map((d) => JSON.stringify([cohortId, d.patientId, d.revision])));
  // Two waves of statements that do not depend on each other within a wave, each sent together
  // (one round trip on PostgreSQL): old derived rows out with the new timelines in, then new rows in.
  await Promise.all([
    tx.delete(tracks).where(ofPatients(tracks, cohortId, ids)),
    tx.delete(trackLinks).where(ofPatients(trackLinks, cohortId, ids)),
    ...chunks(items, ROW_CHUNK).map((part) =>
      tx
        .insert(patientTimelines)
        .values(part.map((d) => ({ cohortId, patientId: d.patientId, revision: d.revision, body: d.timelineBody, summary: d.summary, computedAt: at })))
        .onConflictDoUpdate({
          target: [patientTimelines.cohortId, patientTimelines.patientId],
          set: { revision: sql`excluded.revision`, body: sql`excluded.body`, summary: sql`excluded.summary`, computedAt: sql`excluded.computed_at` },
        }),
    ),
    tx.execute(sql`select pg_notify(${TIMELINE_CHANNEL}, p) from jsonb_array_elements_text(${payloads}::jsonb) as p`),
  ]);
  await Promise.all([...chunks(trackRows, ROW_CHUNK).map((part) => tx.insert(tracks).values(part)), ...chunks(linkRows, ROW_CHUNK).map((part) => tx.insert(trackLinks).values(part))]);
}

const chunks = <T>(rows: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

/** Rows per multi-row insert: well under PostgreSQL's 65,535 parameters a statement. */
const ROW_CHUNK = 2000;

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

/**
 * The hottest query: built once per database session and prepared, so a read costs the driver
 * only. Keyed by the session, not the Db object: on Workers one Db forwards to a new client per
 * request, and a query prepared on an earlier request's client may not be used by a later one.
 */
const preparedTimelineReads = new WeakMap<object, ReturnType<typeof prepareTimelineRead>>();
const sessionOf = (db: Db | Tx): object => (db as unknown as { session?: object }).session ?? db;

/** One indexed read: the revision always, the body only when the caller's ETag is stale. */
export async function readTimeline(db: Db | Tx, cohortId: string, patientId: string, knownRevision: number | null) {
  const key = sessionOf(db);
  let read = preparedTimelineReads.get(key);
  if (!read) preparedTimelineReads.set(key, (read = prepareTimelineRead(db)));
  // -1 is never a revision, so "no ETag" always returns the body.
  const rows = await read.execute({ cohortId, patientId, known: knownRevision ?? -1 });
  return rows[0];
}
