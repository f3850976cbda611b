import type { PatientBatch } from "../service/ingest-patient.ts";
import type { ObservationInput, StudyInput } from "../service/inputs/study.ts";
import { csvRecords, CsvFatalError, headerIndex, type CsvSource } from "./csv-stream.ts";
import { mergeDuplicateRows } from "./dl-info-duplicates.ts";

/** The columns of DeepLesion's DL_info.csv, exactly as released. */
export const DL_INFO_COLUMNS = [
  "File_name", "Patient_index", "Study_index", "Series_ID", "Key_slice_index", "Measurement_coordinates",
  "Bounding_boxes", "Lesion_diameters_Pixel_", "Normalized_lesion_location", "Coarse_lesion_type", "Possibly_noisy",
  "Slice_range", "Spacing_mm_px_", "Image_size", "DICOM_windows", "Patient_gender", "Patient_age", "Train_Val_Test",
] as const;

/** Coarse_lesion_type codes (-1 = unlabeled: no lesion type is stored). */
export const COARSE_LESION_TYPES: Record<number, string> = {
  1: "bone", 2: "abdomen", 3: "mediastinum", 4: "liver", 5: "lung", 6: "kidney", 7: "soft tissue", 8: "pelvis",
};

/** One validated DL_info.csv row, in pixels and mm as released. */
export interface DlRow {
  line: number;
  file: string;
  patientIndex: number;
  studyIndex: number;
  seriesId: number;
  keySlice: number;
  measurementPx: number[];
  boundingBoxPx: number[];
  diametersPx: [number, number];
  normalized: [number, number, number];
  coarseType: number;
  noisy: boolean;
  sliceRange: [number, number];
  spacingMm: [number, number, number];
  imageSizePx: [number, number];
  windowHu: [number, number];
  sex: "F" | "M" | "U";
  ageYears: number | null;
  trainValTest: number | null;
}

export type RowResult = { ok: true; row: DlRow } | { ok: false; line: number; reason: string };

const numbers = (text: string, n: number, name: string): number[] => {
  const parts = text.split(",").map((s) => s.trim());
  const values = parts.map(Number);
  if (parts.length !== n || parts.some((p) => p === "") || values.some((v) => !Number.isFinite(v)))
    throw new Error(`${name}: expected ${n} comma-separated numbers, got "${text}"`);
  return values;
};
const integer = (text: string, name: string, min = 0): number => {
  const v = Number(text);
  if (text === "" || !Number.isInteger(v) || v < min) throw new Error(`${name}: expected an integer >= ${min}, got "${text}"`);
  return v;
};
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Validates one record; the reason of a rejection names the column. */
export function parseDlRow(fields: string[], col: Map<string, number>, line: number): RowResult {
  const get = (name: string): string => fields[col.get(name)!] ?? "";
  try {
    if (fields.length !== col.size) throw new Error(`expected ${col.size} columns, got ${fields.length}`);
    const file = get("File_name");
    const patientIndex = integer(get("Patient_index"), "Patient_index");
    const studyIndex = integer(get("Study_index"), "Study_index");
    const seriesId = integer(get("Series_ID"), "Series_ID");
    const keySlice = integer(get("Key_slice_index"), "Key_slice_index", 1);
    const m = /^(\d+)_(\d+)_(\d+)_(\d+)\.png$/.exec(file);
    if (!m) throw new Error(`File_name: expected PPPPPP_SS_RR_KKK.png, got "${file}"`);
    if (Number(m[1]) !== patientIndex || Number(m[2]) !== studyIndex || Number(m[3]) !== seriesId || Number(m[4]) !== keySlice)
      throw new Error(`File_name: ${file} disagrees with Patient_index/Study_index/Series_ID/Key_slice_index`);
    const measurementPx = numbers(get("Measurement_coordinates"), 8, "Measurement_coordinates");
    const boundingBoxPx = numbers(get("Bounding_boxes"), 4, "Bounding_boxes");
    const [long, short] = numbers(get("Lesion_diameters_Pixel_"), 2, "Lesion_diameters_Pixel_") as [number, number];
    if (!(long > 0) || short < 0) throw new Error(`Lesion_diameters_Pixel_: long must be > 0 and short >= 0, got ${long}, ${short}`);
    if (short > long * 1.001) throw new Error(`Lesion_diameters_Pixel_: short diameter ${short} exceeds long diameter ${long}`);
    const normalized = numbers(get("Normalized_lesion_location"), 3, "Normalized_lesion_location") as [number, number, number];
    if (normalized.some((v) => v < 0 || v > 1)) throw new Error(`Normalized_lesion_location: values must lie in [0, 1], got ${normalized.join(", ")}`);
    const coarseType = Number(get("Coarse_lesion_type"));
    if (!(coarseType === -1 || COARSE_LESION_TYPES[coarseType])) throw new Error(`Coarse_lesion_type: expected -1 or 1..8, got "${get("Coarse_lesion_type")}"`);
    const noisyText = get("Possibly_noisy");
    if (noisyText !== "0" && noisyText !== "1") throw new Error(`Possibly_noisy: expected 0 or 1, got "${noisyText}"`);
    const spacingMm = numbers(get("Spacing_mm_px_"), 3, "Spacing_mm_px_") as [number, number, number];
    if (spacingMm.some((v) => !(v > 0))) throw new Error(`Spacing_mm_px_: spacings must be > 0, got ${spacingMm.join(", ")}`);
    if (long * spacingMm[0] > 2000) throw new Error(`Lesion_diameters_Pixel_: long axis ${round3(long * spacingMm[0])} mm is implausible`);
    const gender = get("Patient_gender").toUpperCase();
    const ageText = get("Patient_age");
    const age = ageText === "" || ageText.toLowerCase() === "nan" ? null : Number(ageText);
    if (age !== null && !(Number.isFinite(age) && age >= 0 && age <= 150)) throw new Error(`Patient_age: expected years in [0, 150], got "${ageText}"`);
    const split = Number(get("Train_Val_Test"));
    return {
      ok: true,
      row: {
        line, file, patientIndex, studyIndex, seriesId, keySlice, measurementPx, boundingBoxPx,
        diametersPx: [long, short], normalized, coarseType, noisy: noisyText === "1",
        sliceRange: numbers(get("Slice_range"), 2, "Slice_range") as [number, number],
        spacingMm,
        imageSizePx: numbers(get("Image_size"), 2, "Image_size") as [number, number],
        windowHu: numbers(get("DICOM_windows"), 2, "DICOM_windows") as [number, number],
        sex: gender === "F" || gender === "M" ? gender : "U",
        ageYears: age,
        trainValTest: Number.isInteger(split) ? split : null,
      },
    };
  } catch (e) {
    return { ok: false, line, reason: (e as Error).message };
  }
}

/** Patient and study keys: zero-padded as in the file names, so they sort in file order. */
export const patientIdOf = (patientIndex: number): string => String(patientIndex).padStart(6, "0");
export const studyKeyOf = (studyIndex: number): string => String(studyIndex).padStart(2, "0");

/** FNV-1a, 32 bit: a short, order-independent suffix for rows that share a file name. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, "0");
}

/**
 * The canonical observation of a row. Sizes: pixel diameters x spacing x. Position in mm:
 * centre of the RECIST long axis (x px * sx, y px * sy) and key slice x slice spacing.
 */
export function observationOfRow(row: DlRow, id: string, duplicates: DlRow[] = []): ObservationInput {
  const [x1, y1, x2, y2] = row.measurementPx as [number, number, number, number];
  const [sx, sy, sz] = row.spacingMm;
  const lesionType = COARSE_LESION_TYPES[row.coarseType];
  const longAxisMm = round3(row.diametersPx[0] * sx);
  return {
    id,
    positionMm: [round3(((x1 + x2) / 2) * sx), round3(((y1 + y2) / 2) * sy), round3(row.keySlice * sz)],
    positionNormalized: row.normalized,
    longAxisMm,
    shortAxisMm: Math.min(longAxisMm, round3(row.diametersPx[1] * sx)),
    ...(lesionType ? { lesionType } : {}),
    nodal: false,
    noisy: row.noisy,
    source: {
      dataset: "DeepLesion",
      file: row.file,
      series: String(row.seriesId),
      slice: row.keySlice,
      spacingMm: row.spacingMm,
      sliceRange: row.sliceRange,
      imageSizePx: row.imageSizePx,
      windowHu: row.windowHu,
      measurementPx: row.measurementPx,
      boundingBoxPx: row.boundingBoxPx,
      diametersPx: row.diametersPx,
      ...(duplicates.length > 0
        ? { duplicates: duplicates.map((d) => ({ file: d.file, series: String(d.seriesId), slice: d.keySlice, longAxisMm: round3(d.diametersPx[0] * d.spacingMm[0]), shortAxisMm: round3(d.diametersPx[1] * d.spacingMm[0]) })) }
        : {}),
    },
  };
}

export interface DlPatient {
  patientId: string;
  batch: PatientBatch;
  /** Lines of the rows that went into this patient (reported if its ingest fails). */
  lines: number[];
  rows: number;
  duplicatesMerged: number;
}

/**
 * Turns all rows of one patient into one ingest batch: studies by Study_index (order index and
 * age; when any study lacks an age, the whole patient uses the order index), duplicates merged.
 */
export function patientOfRows(rows: DlRow[]): DlPatient {
  const first = rows[0]!;
  const byStudy = new Map<number, DlRow[]>();
  for (const r of rows) byStudy.set(r.studyIndex, [...(byStudy.get(r.studyIndex) ?? []), r]);
  const useAge = rows.every((r) => r.ageYears !== null);
  let duplicatesMerged = 0;
  const studies = [...byStudy.entries()].sort((a, b) => a[0] - b[0]).map(([studyIndex, studyRows]) => {
    const groups = mergeDuplicateRows(studyRows);
    duplicatesMerged += studyRows.length - groups.length;
    const stems = new Map<string, number>();
    for (const g of groups) stems.set(stemOf(g.kept), (stems.get(stemOf(g.kept)) ?? 0) + 1);
    const observations = groups.map((g) => {
      const stem = stemOf(g.kept);
      const id = stems.get(stem)! > 1 ? `${stem}~${fnv1a(g.kept.measurementPx.join(","))}` : stem;
      return observationOfRow(g.kept, id, g.duplicates);
    });
    const primary = [...studyRows].sort((a, b) => a.seriesId - b.seriesId || a.line - b.line)[0]!;
    const input: StudyInput = {
      orderIndex: studyIndex,
      ...(useAge ? { ageYears: studyRows[0]!.ageYears! } : {}),
      modality: "CT",
      sliceThicknessMm: primary.spacingMm[2],
      observations,
    };
    return { studyKey: studyKeyOf(studyIndex), input };
  });
  const patientId = patientIdOf(first.patientIndex);
  return {
    patientId,
    batch: {
      patientId,
      patient: { sex: first.sex, metadata: { dataset: "DeepLesion", patientIndex: first.patientIndex, ...(first.trainValTest !== null ? { trainValTest: first.trainValTest } : {}) } },
      studies,
    },
    lines: rows.map((r) => r.line),
    rows: rows.length,
    duplicatesMerged,
  };
}

/** `05_01_036` of `000089_05_01_036.png`: unique within the patient unless two lesions share a slice. */
const stemOf = (r: DlRow): string => r.file.replace(/\.png$/, "").split("_").slice(1).join("_");

export type DlEvent = { kind: "patient"; patient: DlPatient } | { kind: "rejected"; line: number; reason: string };

/**
 * Streams DL_info.csv and yields one event per patient (all its rows, grouped) or per rejected
 * row. The file is sorted by patient then study: only the current patient is held in memory;
 * a row of a patient that was already yielded is rejected as out of order.
 */
export async function* readDlInfo(source: CsvSource): AsyncGenerator<DlEvent> {
  let col: Map<string, number> | null = null;
  let current: DlRow[] = [];
  const done = new Map<number, [number, number]>();
  for await (const { line, fields } of csvRecords(source)) {
    if (!col) {
      col = headerIndex(fields, DL_INFO_COLUMNS);
      continue;
    }
    const parsed = parseDlRow(fields, col, line);
    if (!parsed.ok) {
      yield { kind: "rejected", line: parsed.line, reason: parsed.reason };
      continue;
    }
    const row = parsed.row;
    const seen = done.get(row.patientIndex);
    if (seen) {
      yield { kind: "rejected", line, reason: `out of order: patient ${row.patientIndex} was already read at lines ${seen[0]}-${seen[1]}; DL_info.csv must be sorted by patient` };
      continue;
    }
    if (current.length > 0 && current[0]!.patientIndex !== row.patientIndex) {
      done.set(current[0]!.patientIndex, [current[0]!.line, current.at(-1)!.line]);
      yield { kind: "patient", patient: patientOfRows(current) };
      current = [];
    }
    current.push(row);
  }
  if (!col) throw new CsvFatalError(null, "empty file: expected the DL_info.csv header");
  if (current.length > 0) yield { kind: "patient", patient: patientOfRows(current) };
}
