import { findCohort } from "../db/queries/cohorts.ts";
import { CsvFatalError, type CsvSource } from "../io/csv-stream.ts";
import type { Ctx } from "./context.ts";
import { createCohort } from "./create-cohort.ts";
import { AppError, notFound } from "./errors.ts";
import { ingestPatient, ingestPatients, type AfterWrite, type PatientBatch } from "./ingest-patient.ts";
import { formatPath, identifier, IDENTIFIER_RULE, studyInput } from "./inputs/study.ts";

/** The service refused a patient's data (as opposed to a failure of the database or the code). */
const isRefusal = (e: unknown): e is AppError => e instanceof AppError && e.code === "validation_failed";

/** Why a patient could not be stored, as a rejected row says it; unexpected failures are logged too. */
function reasonOf(e: unknown): string {
  if (isRefusal(e)) return e.message;
  console.error("import: a patient could not be stored", e);
  // The database's own words (the deepest cause), not the wrapper's query text and parameters.
  let root = e;
  while (root instanceof Error && root.cause instanceof Error) root = root.cause;
  return `could not be stored: ${root instanceof Error ? root.message : String(root)}`;
}

/** What an import reports (CLI prints it, the upload endpoint returns it as JSON). */
export interface ImportSummary {
  format: "deeplesion" | "csv" | "dicom-sr";
  cohortId: string;
  rowsRead: number;
  rowsImported: number;
  rowsRejected: number;
  patients: number;
  patientsChanged: number;
  studies: number;
  /** Observations stored (one per lesion per study, after merging duplicate series). */
  lesions: number;
  duplicatesMerged: number;
  /** Rejected rows, line and reason (the first MAX_REJECTED_LISTED; rowsRejected counts all). */
  rejected: { line: number; reason: string }[];
  /** Set when the file could not be read to its end (patients before it are imported). */
  aborted: { line: number | null; reason: string } | null;
  seconds: number;
  rowsPerSecond: number;
  /** DICOM SR only: what was read but not imported as a lesion, and what the reports said beyond sizes. */
  sr?: SrImportNotes;
}

export interface SrImportNotes {
  /** Measurement groups skipped (not lesions, or not in mm), file/part number and reason. */
  groupsSkipped: { line: number; reason: string }[];
  /** Imported observations without a position (2-D coordinates on an image whose geometry was not given). */
  observationsWithoutPosition: number;
  /** Confirmed links now stored for the imported patients from Tracking Unique Identifiers. */
  confirmedLinks: number;
}

export const MAX_REJECTED_LISTED = 1000;

export interface ImportProgress {
  rowsRead: number;
  patients: number;
}

/** A validated patient waiting for its group's transaction, with the rows it came from. */
interface Queued {
  batch: PatientBatch;
  lines: number[];
  duplicatesMerged: number;
}

/** Patients per transaction: batched statements and one predictor call per group. */
const IMPORT_GROUP_SIZE = 25;

/**
 * Accumulates a summary while patients stream through the one ingest path, in groups of
 * IMPORT_GROUP_SIZE patients per transaction. A group that fails for any reason (a refusal,
 * or the database rejecting a value) is retried patient by patient, and a patient that still
 * fails has its rows rejected with the reason: one bad patient never stops the import.
 */
export class ImportRun {
  readonly summary: ImportSummary;
  private readonly started = performance.now();

  private readonly inFlight = new Set<Promise<void>>();
  private queued: Queued[] = [];

  /** `concurrency`: groups ingested at once (each its own transaction); >1 pays off on PostgreSQL. */
  constructor(
    private readonly ctx: Ctx,
    format: ImportSummary["format"],
    cohortId: string,
    private readonly onProgress?: (p: ImportProgress) => void,
    private readonly concurrency = 1,
    private readonly afterWrite?: AfterWrite,
  ) {
    this.summary = {
      format, cohortId, rowsRead: 0, rowsImported: 0, rowsRejected: 0, patients: 0, patientsChanged: 0, studies: 0,
      lesions: 0, duplicatesMerged: 0, rejected: [], aborted: null, seconds: 0, rowsPerSecond: 0,
    };
  }

  reject(line: number, reason: string): void {
    this.summary.rowsRead++;
    this.summary.rowsRejected++;
    if (this.summary.rejected.length < MAX_REJECTED_LISTED) this.summary.rejected.push({ line, reason });
  }

  /**
   * Validates one patient and queues it; a full group starts its transaction, and this returns
   * once fewer than `concurrency` groups are under way, so the reader keeps streaming while the
   * database works. Call drain() before finish().
   */
  async patient(batch: PatientBatch, lines: number[], extra: { duplicatesMerged?: number } = {}): Promise<void> {
    const studies: PatientBatch["studies"] = [];
    // Ids go into locks and keys before any row is written, so they are checked first.
    if (!identifier.safeParse(batch.patientId).success) return this.rejectPatient(JSON.stringify(batch.patientId), lines, `patient_id: ${IDENTIFIER_RULE}`);
    for (const st of batch.studies) {
      if (!identifier.safeParse(st.studyKey).success) return this.rejectPatient(batch.patientId, lines, `study_key ${JSON.stringify(st.studyKey)}: ${IDENTIFIER_RULE}`);
      const parsed = studyInput.safeParse(st.input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return this.rejectPatient(batch.patientId, lines, `study ${st.studyKey}: ${formatPath(issue.path)}: ${issue.message}`);
      }
      studies.push({ studyKey: st.studyKey, input: parsed.data });
    }
    this.queued.push({ batch: { ...batch, studies }, lines, duplicatesMerged: extra.duplicatesMerged ?? 0 });
    if (this.queued.length >= IMPORT_GROUP_SIZE) await this.flush();
  }

  /** Starts the queued group's transaction; waits while `concurrency` groups are under way. */
  private async flush(): Promise<void> {
    if (this.queued.length === 0) return;
    const group = this.queued;
    this.queued = [];
    const p: Promise<void> = this.ingest(group).finally(() => this.inFlight.delete(p));
    p.catch(() => {}); // a failure surfaces through race()/drain(), not as an unhandled rejection
    this.inFlight.add(p);
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
  }

  /** Ingests the queued patients and waits for every group under way (rethrows the first unexpected failure). */
  async drain(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
  }

  private async ingest(group: Queued[]): Promise<void> {
    if (group.length === 1) return this.ingestOne(group[0]!);
    try {
      const results = await ingestPatients({ ctx: this.ctx, cohortId: this.summary.cohortId, batches: group.map((q) => q.batch), ...(this.afterWrite ? { afterWrite: this.afterWrite } : {}) });
      group.forEach((q, i) => this.imported(q, results[i]!.changed));
    } catch {
      // Someone in the group failed (its transaction rolled back): find out who, one patient at a time.
      for (const q of group) await this.ingestOne(q);
    }
  }

  /** One patient in its own transaction; any failure = its rows rejected with the reason. */
  private async ingestOne(q: Queued): Promise<void> {
    let changed: boolean;
    try {
      changed = (await ingestPatient({ ctx: this.ctx, cohortId: this.summary.cohortId, batch: q.batch, ...(this.afterWrite ? { afterWrite: this.afterWrite } : {}) })).changed;
    } catch (e) {
      return this.rejectPatient(q.batch.patientId, q.lines, reasonOf(e));
    }
    this.imported(q, changed);
  }

  private imported(q: Queued, changed: boolean): void {
    const s = this.summary;
    s.rowsRead += q.lines.length;
    s.rowsImported += q.lines.length;
    s.patients++;
    if (changed) s.patientsChanged++;
    s.studies += q.batch.studies.length;
    s.lesions += q.batch.studies.reduce((n, st) => n + st.input.observations.length, 0);
    s.duplicatesMerged += q.duplicatesMerged;
    this.onProgress?.({ rowsRead: s.rowsRead, patients: s.patients });
  }

  private rejectPatient(patientId: string, lines: number[], reason: string): void {
    for (const line of lines) this.reject(line, `patient ${patientId}: ${reason}`);
    this.onProgress?.({ rowsRead: this.summary.rowsRead, patients: this.summary.patients });
  }

  abort(line: number | null, reason: string): void {
    this.summary.aborted = { line, reason };
  }

  finish(): ImportSummary {
    const s = this.summary;
    s.rejected.sort((a, b) => a.line - b.line);
    s.seconds = Math.round((performance.now() - this.started) / 10) / 100;
    s.rowsPerSecond = s.seconds > 0 ? Math.round(s.rowsRead / s.seconds) : s.rowsRead;
    return s;
  }
}

/** The cohort an import writes to: must exist, unless the caller asks to create it. */
export async function ensureImportCohort(ctx: Ctx, cohortId: string, createIfMissing: boolean, name: string, annotations?: "partial"): Promise<void> {
  if (await findCohort(ctx.db, cohortId)) return;
  if (!createIfMissing) throw notFound(`cohort ${cohortId}`);
  await createCohort({ ctx, input: { cohortId, name, protocol: {}, settings: { scanIntervalDays: 56, bodySizeMm: [350, 300, 900], ...(annotations ? { annotations } : {}) } } });
}

/** What a format's reader yields: a rejected row, or one patient's rows grouped as a batch. */
export type ImportEvent =
  | { kind: "rejected"; line: number; reason: string }
  | { kind: "patient"; batch: PatientBatch; lines: number[]; duplicatesMerged?: number };

export interface ImportArgs {
  ctx: Ctx;
  cohortId: string;
  source: CsvSource;
  createCohort?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Patients ingested at once (use >1 on PostgreSQL). */
  concurrency?: number;
}

/**
 * Drives one import: every patient through ingestPatient (one transaction each), bad rows
 * rejected with line and reason, a file that breaks off midway reported as aborted with the
 * patients before it kept; a file unreadable from its first line is a 400.
 */
export async function runImport(
  { ctx, cohortId, createCohort = false, onProgress, concurrency = 1 }: ImportArgs,
  format: ImportSummary["format"],
  cohortName: string,
  events: AsyncIterable<ImportEvent>,
): Promise<ImportSummary> {
  // DeepLesion marks only some lesions per study: a cohort it creates has partial annotations.
  await ensureImportCohort(ctx, cohortId, createCohort, cohortName, format === "deeplesion" ? "partial" : undefined);
  const run = new ImportRun(ctx, format, cohortId, onProgress, concurrency);
  try {
    for await (const ev of events) {
      if (ev.kind === "rejected") run.reject(ev.line, ev.reason);
      else await run.patient(ev.batch, ev.lines, { duplicatesMerged: ev.duplicatesMerged ?? 0 });
    }
    await run.drain();
  } catch (e) {
    await run.drain();
    if (!(e instanceof CsvFatalError)) throw e;
    if (run.summary.rowsRead === 0) throw new AppError("validation_failed", e.message, [{ path: e.line === 1 || e.line === null ? "header" : `line ${e.line}`, message: e.message }]);
    run.abort(e.line, e.message);
  }
  return run.finish();
}
