import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parsePart10, writePart10, type Dataset } from "../../src/io/dicom-sr/shim.ts";
import { IMPLEMENTATION_CLASS_UID } from "../../src/io/dicom-sr/write.ts";

/** The public reports of ../shared/data/dicom-sr (never copied into the project). */
export const SR_DIR = path.resolve(process.cwd(), "../shared/data/dicom-sr");
export const srPath = (name: string): string => path.join(SR_DIR, name);
export const BIDIRECTIONAL_MM = "dcmjs-structured_report.dcm";
export const PIXELS = "dcmjs-sample-sr.dcm";
export const AREA_ONLY = "highdicom-sr_document.dcm";
export const hasSrData = [BIDIRECTIONAL_MM, PIXELS, AREA_ONLY].every((f) => existsSync(srPath(f)));
if (!hasSrData) console.info("[dicom-sr] ../shared/data/dicom-sr/ absent: tests on the shared reports skipped");

export const srBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(srPath(name)));
export const srDataset = (name: string): Dataset => parsePart10(srBytes(name));
export const part10 = (ds: Dataset): Uint8Array => writePart10(ds, IMPLEMENTATION_CLASS_UID);

/** Every content item of a report, depth first (to edit values in place). */
export function* items(ds: Dataset): Generator<Dataset> {
  const seq = ds.ContentSequence;
  for (const it of (Array.isArray(seq) ? seq : seq ? [seq] : []) as Dataset[]) {
    yield it;
    yield* items(it);
  }
}

/**
 * A follow-up time point built from a report: new study and instance UIDs, a new date, and every
 * NUM value multiplied by `scale`; Tracking UIDs kept unless `newTrackingUids`.
 */
export function followUp(name: string, o: { studyUid: string; date: string; scale: number; patientId?: string; newTrackingUids?: boolean }): Dataset {
  const ds = srDataset(name);
  const da = o.date.replace(/-/g, "");
  Object.assign(ds, { StudyInstanceUID: o.studyUid, SOPInstanceUID: `${o.studyUid}.1`, SeriesInstanceUID: `${o.studyUid}.2`, StudyDate: da, SeriesDate: da, ContentDate: da });
  if (o.patientId !== undefined) ds.PatientID = o.patientId;
  let k = 0;
  for (const it of items(ds)) {
    const mv = it.MeasuredValueSequence as Dataset[] | Dataset | undefined;
    for (const v of (Array.isArray(mv) ? mv : mv ? [mv] : []) as Dataset[]) v.NumericValue = Number((Number(v.NumericValue) * o.scale).toFixed(4));
    if (o.newTrackingUids && it.ValueType === "UIDREF" && typeof it.UID === "string") it.UID = `${o.studyUid}.9.${++k}`;
  }
  return ds;
}

/** A multipart/related body (STOW-RS style) of Part 10 files. */
export function multipartRelated(parts: Uint8Array[], boundary = "lesiontrack-test-boundary"): { body: Uint8Array; contentType: string } {
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const p of parts) chunks.push(enc.encode(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), p, enc.encode("\r\n"));
  chunks.push(enc.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return { body, contentType: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

const has = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
export const tools = { dciodvfy: has("dciodvfy"), dsrdump: has("dsrdump") };
if (!tools.dciodvfy) console.info("[dicom-sr] dciodvfy (Debian dicom3tools) absent: exported reports not checked against the standard");
if (!tools.dsrdump) console.info("[dicom-sr] dsrdump (Debian dcmtk) absent: exported reports not parsed by dcmtk");

/** dciodvfy's error lines and dsrdump's exit status and output for one exported file. */
export function checkWithDicomTools(bytes: Uint8Array): { dciodvfyErrors: string[] | null; dciodvfyOutput: string; dsrdump: { status: number; output: string } | null } {
  const dir = mkdtempSync(path.join(tmpdir(), "lesiontrack-sr-"));
  try {
    const file = path.join(dir, "report.dcm");
    writeFileSync(file, bytes);
    let dciodvfyErrors: string[] | null = null;
    let dciodvfyOutput = "";
    if (tools.dciodvfy) {
      const r = spawnSync("dciodvfy", [file], { encoding: "utf8" });
      dciodvfyOutput = `${r.stdout}${r.stderr}`;
      dciodvfyErrors = dciodvfyOutput.split("\n").filter((l) => /^Error/.test(l));
    }
    let dsrdump = null;
    if (tools.dsrdump) {
      const r = spawnSync("dsrdump", [file], { encoding: "utf8" });
      dsrdump = { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
    }
    return { dciodvfyErrors, dciodvfyOutput, dsrdump };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
