import { and, eq } from "drizzle-orm";
import { cohortSettingsOf, findCohort } from "../db/queries/cohorts.ts";
import { appendAuditMany, type AuditEntry } from "../db/queries/audit.ts";
import { bumpRevisions, findPatients, loadStudiesOf } from "../db/queries/patients.ts";
import { deleteStudies, insertStudies, studyHashesOf } from "../db/queries/studies.ts";
import { lockPatients } from "../db/queries/lock.ts";
import { patients as patientsTable } from "../db/schema/index.ts";
import type { Tx } from "../db/client.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { invalid, notFound } from "./errors.ts";
import type { PatientInput, StudyInput } from "./inputs/study.ts";
import { recomputePatients } from "./recompute-patient.ts";
import { checkStudies, pendingStudy, studyAudit, studyRows } from "./study-write.ts";
import { patientAttributes, patientAudit, samePatient } from "./upsert-patient.ts";

export interface PatientBatch {
  patientId: string;
  /** The patient's attributes; absent = keep a stored patient's as they are (a new one gets none). */
  patient?: PatientInput;
  studies: { studyKey: string; input: StudyInput }[];
}

export interface PatientIngestResult {
  patientId: string;
  patientCreated: boolean;
  studiesCreated: number;
  studiesReplaced: number;
  /** False when every body was already stored as given (nothing written). */
  changed: boolean;
  /** The patient's revision (timeline ETag) after the write. */
  revision: number;
}

/** Extra writes of an importer inside the ingest transaction, for the patients it changed, before they are re-derived. */
export type AfterWrite = (tx: Tx, cohortId: string, patientIds: readonly string[]) => Promise<void>;

/** Where things of batch entry i (study j) sit in the caller's request body, for error paths. */
export interface BatchPaths {
  patientId(i: number): string;
  studyKey(i: number, j: number): string;
  /** Prefix of a field inside the study body, ending in "." (e.g. + "observations[0].embedding"). */
  studyBody(i: number, j: number): string;
}

const batchPaths: BatchPaths = {
  patientId: (i) => `[${i}].patientId`,
  studyKey: (i, j) => `[${i}].studies[${j}].studyKey`,
  studyBody: (i, j) => `[${i}].studies[${j}].input.`,
};

/**
 * Creates or updates several patients of one cohort and the given studies of each in ONE
 * transaction (all or nothing), re-deriving every touched patient once at the end. Reads and
 * writes are batched: about fifteen statements for the whole batch, not per patient or study.
 * The stored result equals study-by-study ingest through the API; unchanged bodies are skipped,
 * so sending the same batch again writes nothing.
 */
export async function ingestPatients({ ctx, cohortId, batches, paths = batchPaths, afterWrite }: { ctx: Ctx; cohortId: string; batches: readonly PatientBatch[]; paths?: BatchPaths; afterWrite?: AfterWrite }): Promise<PatientIngestResult[]> {
  const seenPatients = new Map<string, number>();
  batches.forEach((b, i) => {
    if (seenPatients.has(b.patientId)) throw invalid(paths.patientId(i), `patient ${b.patientId} appears twice in this batch (also at ${seenPatients.get(b.patientId)})`);
    seenPatients.set(b.patientId, i);
    const keys = new Set<string>();
    b.studies.forEach((s, j) => {
      if (keys.has(s.studyKey)) throw invalid(paths.studyKey(i, j), `study ${s.studyKey} appears twice for patient ${b.patientId}`);
      keys.add(s.studyKey);
    });
  });
  const pending = batches.map((b) => b.studies.map((s) => pendingStudy(s.studyKey, s.input)));
  const ids = batches.map((b) => b.patientId);

  return withTransaction(ctx, async (tx) => {
    const cohortRow = await findCohort(tx, cohortId);
    if (!cohortRow) throw notFound(`cohort ${cohortId}`);
    await lockPatients(tx, cohortId, ids);
    const at = nowIso(ctx);
    const existing = await findPatients(tx, cohortId, ids);
    const audits: AuditEntry[] = [];
    const touched = new Set<string>();

    // Patients: new ones in one insert; changed attributes (rare in bulk) one update each.
    const attributesOf = (b: PatientBatch) => patientAttributes(b.patient ?? { metadata: {} });
    const created = batches.filter((b) => !existing.has(b.patientId));
    if (created.length > 0) await tx.insert(patientsTable).values(created.map((b) => ({ cohortId, patientId: b.patientId, ...attributesOf(b), createdAt: at, updatedAt: at })));
    for (const b of batches) {
      const before = existing.get(b.patientId);
      const next = attributesOf(b);
      if (before && (!b.patient || samePatient(before, next))) continue;
      if (before) await tx.update(patientsTable).set({ ...next, updatedAt: at }).where(and(eq(patientsTable.cohortId, cohortId), eq(patientsTable.patientId, b.patientId)));
      audits.push(patientAudit(ctx, { cohortId, patientId: b.patientId }, before, next, at));
      touched.add(b.patientId);
    }

    // Studies: skip bodies stored as given; check the rest against each patient's other studies.
    const stored = await studyHashesOf(tx, cohortId, ids.filter((id) => existing.has(id)));
    const changed = batches.map((b, i) => pending[i]!.filter((s) => stored.get(b.patientId)?.get(s.studyKey)?.bodyHash !== s.bodyHash));
    const withStored = batches.filter((b, i) => changed[i]!.length > 0 && stored.has(b.patientId)).map((b) => b.patientId);
    const storedStudies = await loadStudiesOf(tx, cohortId, withStored);
    const interval = cohortSettingsOf(cohortRow).scanIntervalDays;
    const rows: ReturnType<typeof studyRows>[] = [];
    batches.forEach((b, i) => {
      const todo = changed[i]!;
      if (todo.length === 0) return;
      const replaced = new Set(todo.map((s) => s.studyKey));
      const all = storedStudies.get(b.patientId) ?? [];
      const indexOf = new Map(pending[i]!.map((s, j) => [s, j]));
      checkStudies(all.filter((s) => !replaced.has(s.key)), todo, (k) => paths.studyBody(i, indexOf.get(todo[k]!)!));
      const hashes = stored.get(b.patientId);
      const beforeOf = new Map(all.map((s) => [s.key, s]));
      for (const s of todo) {
        rows.push(studyRows({ cohortId, patientId: b.patientId }, s, interval, at, hashes?.get(s.studyKey)?.createdAt ?? at));
        audits.push(studyAudit(ctx, { cohortId, patientId: b.patientId }, s, beforeOf.get(s.studyKey) ?? null, at));
      }
      touched.add(b.patientId);
    });
    for (const [i, b] of batches.entries()) {
      const replacedKeys = changed[i]!.filter((s) => stored.get(b.patientId)?.has(s.studyKey)).map((s) => s.studyKey);
      await deleteStudies(tx, cohortId, b.patientId, replacedKeys);
    }
    await insertStudies(tx, rows.map((r) => r.study), rows.flatMap((r) => r.observations));

    const order = ids.filter((id) => touched.has(id));
    const revisions = await bumpRevisions(tx, cohortId, order, at);
    await appendAuditMany(tx, audits);
    if (afterWrite && order.length > 0) await afterWrite(tx, cohortId, order);
    if (order.length > 0) await recomputePatients({ ctx, tx, cohortId, patientIds: order });
    return batches.map((b, i): PatientIngestResult => {
      const hashes = stored.get(b.patientId);
      const todo = changed[i]!;
      return {
        patientId: b.patientId,
        patientCreated: !existing.has(b.patientId),
        studiesCreated: todo.filter((s) => !hashes?.has(s.studyKey)).length,
        studiesReplaced: todo.filter((s) => hashes?.has(s.studyKey)).length,
        changed: touched.has(b.patientId),
        revision: revisions.get(b.patientId) ?? existing.get(b.patientId)!.revision,
      };
    });
  });
}

/**
 * One patient and its studies in one transaction (bulk import, demo seeding, load seeding):
 * ingestPatients with a batch of one.
 */
export async function ingestPatient({ ctx, cohortId, batch, afterWrite }: { ctx: Ctx; cohortId: string; batch: PatientBatch; afterWrite?: AfterWrite }) {
  const paths: BatchPaths = { patientId: () => "patientId", studyKey: (_i, j) => `studies[${j}].studyKey`, studyBody: (_i, j) => `studies[${j}].input.` };
  const [r] = await ingestPatients({ ctx, cohortId, batches: [batch], paths, ...(afterWrite ? { afterWrite } : {}) });
  return { patientCreated: r!.patientCreated, studiesCreated: r!.studiesCreated, changed: r!.changed };
}
