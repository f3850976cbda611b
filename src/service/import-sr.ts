import { and, eq, inArray } from "drizzle-orm";
import { findPatients } from "../db/queries/patients.ts";
import { linkCorrections } from "../db/schema/index.ts";
import { imageGeometryOf, type ImageGeometry } from "../io/dicom-sr/geometry.ts";
import { readMeasurementReport, type SrReport } from "../io/dicom-sr/read.ts";
import { DicomReadError, parseDicomJson, parsePart10, type Dataset } from "../io/dicom-sr/shim.ts";
import type { Ctx } from "./context.ts";
import { AppError } from "./errors.ts";
import { ensureImportCohort, ImportRun, type ImportSummary } from "./import-summary.ts";
import type { PatientBatch } from "./ingest-patient.ts";
import { identifier, type StudyInput } from "./inputs/study.ts";
import { confirmTrackingLinks, SR_LINK_ACTION } from "./sr-tracking-links.ts";

/** One uploaded or named input: Part 10 bytes, or parsed DICOM JSON (one dataset or an array). */
export type SrInput = { name: string; part10: Uint8Array } | { name: string; json: unknown };

export interface ImportSrArgs {
  ctx: Ctx;
  cohortId: string;
  inputs: readonly SrInput[];
  /** Image headers (CT/MR) whose geometry turns 2-D coordinates into patient mm. */
  images?: readonly Dataset[];
  /** The patient of reports that carry no PatientID (anonymised files often have none). */
  patientId?: string;
  createCohort?: boolean;
}

type Parsed = { line: number; name: string; ds: Dataset } | { line: number; name: string; error: string };

function parseAll(inputs: readonly SrInput[]): Parsed[] {
  const out: Parsed[] = [];
  for (const input of inputs) {
    try {
      const sets = "part10" in input ? [parsePart10(input.part10)] : parseDicomJson(input.json);
      sets.forEach((ds, k) => out.push({ line: out.length + 1, name: sets.length > 1 ? `${input.name}[${k}]` : input.name, ds }));
    } catch (e) {
      if (!(e instanceof DicomReadError)) throw e;
      out.push({ line: out.length + 1, name: input.name, error: e.message });
    }
  }
  return out;
}

const isSr = (ds: Dataset) => typeof ds.SOPClassUID === "string" && ds.SOPClassUID.startsWith("1.2.840.10008.5.1.4.1.1.88.");

/** A report's lesions as the service's study input (ImportRun validates it); the Tracking UID and observer stay on each observation. */
function studyOf(r: SrReport): StudyInput {
  return {
    date: r.date!,
    modality: "CT",
    observations: r.lesions.map((l) => ({
      ...(l.positionMm ? { positionMm: l.positionMm } : {}),
      longAxisMm: l.longAxisMm,
      shortAxisMm: l.shortAxisMm ?? 0,
      ...(l.organ ? { organ: l.organ } : {}),
      ...(l.lesionType ? { lesionType: l.lesionType } : {}),
      nodal: l.nodal,
      noisy: false,
      source: {
        format: "dicom-sr", sopInstanceUid: r.sopInstanceUid, group: l.group, observer: r.observer,
        ...(l.trackingId ? { trackingId: l.trackingId } : {}), ...(l.trackingUid ? { trackingUid: l.trackingUid } : {}),
        ...(l.shortAxisMm === null ? { shortAxisMeasured: false } : {}), ...(l.image ? { image: l.image } : {}), ...(l.role ? { recistRole: l.role } : {}),
      },
    })),
  };
}

/**
 * Imports TID 1500 measurement reports: one row of the summary per report, one study per
 * StudyInstanceUID, patients through the shared all-or-nothing ingest path; Tracking Unique
 * Identifiers shared across a patient's studies become confirmed links in the same transaction.
 */
export async function importSr({ ctx, cohortId, inputs, images = [], patientId, createCohort = false }: ImportSrArgs): Promise<ImportSummary> {
  if (patientId !== undefined && !identifier.safeParse(patientId).success) throw new AppError("validation_failed", "patientId: letters, digits and . _ : ~ - only", [{ path: "patientId", message: "letters, digits and . _ : ~ - only" }]);
  await ensureImportCohort(ctx, cohortId, createCohort, "DICOM SR import");
  const run = new ImportRun(ctx, "dicom-sr", cohortId, undefined, 1, confirmTrackingLinks(ctx));
  const notes = { groupsSkipped: [] as { line: number; reason: string }[], observationsWithoutPosition: 0, confirmedLinks: 0 };
  const parsed = parseAll(inputs);
  const geometry = new Map<string, ImageGeometry>();
  for (const ds of [...images, ...parsed.flatMap((p) => ("ds" in p && !isSr(p.ds) ? [p.ds] : []))]) {
    const g = imageGeometryOf(ds);
    if (g) geometry.set(g.sopInstanceUid, g);
  }

  const patients = new Map<string, { batch: PatientBatch; lines: number[]; studyFile: Map<string, string> }>();
  for (const p of parsed) {
    if ("error" in p) {
      run.reject(p.line, `${p.name}: ${p.error}`);
      continue;
    }
    const read = readMeasurementReport(p.ds, geometry);
    if (!read.ok) {
      run.reject(p.line, `${p.name}: ${read.reason}${!isSr(p.ds) && imageGeometryOf(p.ds) ? " (an image: its geometry was used for coordinates)" : ""}`);
      continue;
    }
    const r = read.report;
    const pid = r.patient.id ?? patientId;
    const refuse = (reason: string) => run.reject(p.line, `${p.name}: ${reason}`);
    if (!pid) refuse("the report has no PatientID: name the patient (CLI --patient ID, HTTP ?patientId=ID)");
    else if (!identifier.safeParse(pid).success) refuse(`PatientID "${pid}" is not a lesiontrack id (letters, digits and . _ : ~ - only): name the patient with --patient / ?patientId=`);
    else if (!r.date) refuse("no StudyDate, SeriesDate or ContentDate: the time point cannot be placed");
    else if (r.lesions.length === 0) refuse(`no lesion measurement to import (${r.skipped.map((s) => `group ${s.group}: ${s.reason}`).join("; ") || "no measurement groups"})`);
    else {
      const entry = patients.get(pid) ?? { batch: { patientId: pid, studies: [] }, lines: [], studyFile: new Map<string, string>() };
      const earlier = entry.studyFile.get(r.studyUid);
      if (earlier) {
        refuse(`a second report of study ${r.studyUid} (also in ${earlier}): import one report per study`);
        continue;
      }
      entry.studyFile.set(r.studyUid, p.name);
      entry.batch.studies.push({ studyKey: r.studyUid, input: studyOf(r) });
      if (r.patient.sex || r.patient.birthYear) entry.batch.patient = { ...(r.patient.sex ? { sex: r.patient.sex } : {}), ...(r.patient.birthYear ? { birthYear: r.patient.birthYear } : {}), metadata: {} };
      entry.lines.push(p.line);
      for (const s of r.skipped) notes.groupsSkipped.push({ line: p.line, reason: `${p.name}: measurement group ${s.group}: ${s.reason}` });
      notes.observationsWithoutPosition += r.lesions.filter((l) => !l.positionMm).length;
      patients.set(pid, entry);
    }
  }
  // A report's sex or birth year fills in a new patient; a stored one keeps what people set (reference date, metadata).
  const stored = await findPatients(ctx.db, cohortId, [...patients.keys()]);
  for (const { batch, lines } of patients.values()) await run.patient(stored.has(batch.patientId) ? { patientId: batch.patientId, studies: batch.studies } : batch, lines);
  await run.drain();
  const summary = run.finish();
  const ids = [...patients.keys()];
  if (ids.length > 0) {
    const rows = await ctx.db.select({ meta: linkCorrections.meta }).from(linkCorrections).where(and(eq(linkCorrections.cohortId, cohortId), inArray(linkCorrections.patientId, ids)));
    notes.confirmedLinks = rows.filter((r) => r.meta?.action === SR_LINK_ACTION).length;
  }
  return { ...summary, sr: notes };
}
