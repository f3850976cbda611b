import { and, eq } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { findCohort } from "../db/queries/cohorts.ts";
import { loadStudies } from "../db/queries/patients.ts";
import { patientTimelines } from "../db/schema/index.ts";
import { reportsOfTimeline, type TimelineForSr } from "../io/dicom-sr/from-timeline.ts";
import { writePart10 } from "../io/dicom-sr/shim.ts";
import { buildMeasurementReport, IMPLEMENTATION_CLASS_UID } from "../io/dicom-sr/write.ts";
import type { Ctx } from "./context.ts";
import { invalid, notFound } from "./errors.ts";
import { storedTimelines } from "./export-sdtm.ts";

export interface SrFile {
  patientId: string;
  studyKey: string;
  sopInstanceUid: string;
  bytes: Uint8Array;
}

const readOnly = { isolationLevel: "repeatable read", accessMode: "read only" } as const;

/** All reports of one patient from its stored timeline (one consistent snapshot inside `tx`). */
async function patientReports(ctx: Ctx, tx: Tx, cohortId: string, patientId: string, revision: number, body: string): Promise<SrFile[]> {
  // DICOM's PatientID is a 64-character LO; a longer id would be cut, so it is refused instead.
  if (patientId.length > 64) throw invalid("patientId", `patient id ${patientId} is longer than the 64 characters DICOM PatientID holds`);
  const single = new Set<string>();
  for (const s of await loadStudies(tx, cohortId, patientId)) for (const o of s.observations) if (o.source?.shortAxisMeasured === false) single.add(o.id);
  const reports = reportsOfTimeline(cohortId, JSON.parse(body) as TimelineForSr, revision, ctx.clock.now(), (id) => !single.has(id));
  return reports.map((r) => ({ patientId, studyKey: r.study.key, sopInstanceUid: r.sopInstanceUid, bytes: writePart10(buildMeasurementReport(r), IMPLEMENTATION_CLASS_UID) }));
}

/** The TID 1500 report of one study (GET .../studies/{s}/sr). */
export async function exportStudySr({ ctx, cohortId, patientId, studyKey }: { ctx: Ctx; cohortId: string; patientId: string; studyKey: string }): Promise<SrFile> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select({ revision: patientTimelines.revision, body: patientTimelines.body }).from(patientTimelines).where(and(eq(patientTimelines.cohortId, cohortId), eq(patientTimelines.patientId, patientId)));
    if (!row) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
    const file = (await patientReports(ctx, tx, cohortId, patientId, row.revision, row.body)).find((f) => f.studyKey === studyKey);
    if (!file) throw notFound(`study ${studyKey} of patient ${patientId}`);
    return file;
  }, readOnly);
}

/** Every study of a cohort as a TID 1500 report, handed to `sink` one file at a time. */
export async function exportCohortSr({ ctx, cohortId, sink }: { ctx: Ctx; cohortId: string; sink: (f: SrFile) => Promise<void> }) {
  return ctx.db.transaction(async (tx) => {
    if (!(await findCohort(tx, cohortId))) throw notFound(`cohort ${cohortId}`);
    const counts = { patients: 0, reports: 0 };
    for await (const r of storedTimelines(tx, cohortId)) {
      counts.patients++;
      for (const f of await patientReports(ctx, tx, cohortId, r.patientId, r.revision, r.body)) {
        counts.reports++;
        await sink(f);
      }
    }
    return counts;
  }, readOnly);
}
