import type { PatientBatch } from "../service/ingest-patient.ts";
import type { ObservationInput, StudyInput } from "../service/inputs/study.ts";
import { CsvFatalError, csvRecords, headerIndex, type CsvSource } from "./csv-stream.ts";

/**
 * The flat observations CSV: one row per observation, patient and study columns repeated on
 * each row; a study without lesions is one row with empty observation columns. Empty = absent.
 * Numbers are written in JavaScript's shortest round-trip form, booleans as true/false,
 * `embedding` as space-separated numbers and `source` as JSON with sorted keys.
 */
export const OBSERVATION_CSV_COLUMNS = [
  "patient_id", "patient_sex", "patient_birth_year", "patient_reference_date",
  "study_key", "date", "day_offset", "order_index", "age_years", "modality", "slice_thickness_mm",
  "observation_id", "x_mm", "y_mm", "z_mm", "x_norm", "y_norm", "z_norm", "long_axis_mm", "short_axis_mm",
  "organ", "lesion_type", "nodal", "noisy", "embedding", "source",
] as const;
const REQUIRED = ["patient_id", "study_key", "long_axis_mm", "short_axis_mm"] as const;

type Vec3 = [number, number, number];

export interface CsvObservation {
  id: string | null;
  positionMm: Vec3 | null;
  positionNormalized: Vec3 | null;
  longAxisMm: number;
  shortAxisMm: number;
  organ: string | null;
  lesionType: string | null;
  nodal: boolean;
  noisy: boolean;
  embedding: number[] | null;
  source: Record<string, unknown> | null;
}

/** One CSV row as values (what the writer takes and the reader gives back). */
export interface ObservationRow {
  patientId: string;
  sex: "F" | "M" | "U" | null;
  birthYear: number | null;
  referenceDate: string | null;
  studyKey: string;
  date: string | null;
  dayOffset: number | null;
  orderIndex: number | null;
  ageYears: number | null;
  modality: string | null;
  sliceThicknessMm: number | null;
  /** null: a study without lesions. */
  observation: CsvObservation | null;
}

// ---------- writing ----------

const canonicalJson = (v: unknown): string => {
  const canon = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(canon) : x && typeof x === "object" ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, canon((x as Record<string, unknown>)[k])])) : x;
  return JSON.stringify(canon(v));
};
const num = (x: number | null | undefined): string => (x === null || x === undefined ? "" : String(x));
const quote = (s: string): string => (/[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function observationRowFields(r: ObservationRow): string[] {
  const o = r.observation;
  return [
    r.patientId, r.sex ?? "", num(r.birthYear), r.referenceDate ?? "",
    r.studyKey, r.date ?? "", num(r.dayOffset), num(r.orderIndex), num(r.ageYears), r.modality ?? "", num(r.sliceThicknessMm),
    o?.id ?? "", num(o?.positionMm?.[0]), num(o?.positionMm?.[1]), num(o?.positionMm?.[2]),
    num(o?.positionNormalized?.[0]), num(o?.positionNormalized?.[1]), num(o?.positionNormalized?.[2]),
    num(o?.longAxisMm), num(o?.shortAxisMm), o?.organ ?? "", o?.lesionType ?? "",
    o ? String(o.nodal) : "", o ? String(o.noisy) : "", o?.embedding ? o.embedding.map(String).join(" ") : "", o?.source ? canonicalJson(o.source) : "",
  ];
}

export const observationsCsvHeader = (): string => `${OBSERVATION_CSV_COLUMNS.join(",")}\n`;
export const observationCsvLine = (r: ObservationRow): string => `${observationRowFields(r).map(quote).join(",")}\n`;

/** Header plus rows, for small outputs and tests (exports stream line by line instead). */
export function writeObservationsCsv(rows: Iterable<ObservationRow>): string {
  let out = observationsCsvHeader();
  for (const r of rows) out += observationCsvLine(r);
  return out;
}

// ---------- reading ----------

export type RowParse = { ok: true; row: ObservationRow } | { ok: false; reason: string };

export function parseObservationRow(fields: string[], col: Map<string, number>): RowParse {
  const get = (c: string): string => (col.has(c) ? fields[col.get(c)!] ?? "" : "");
  const fail = (c: string, msg: string): never => {
    throw new Error(`${c}: ${msg}`);
  };
  const number = (c: string): number | null => {
    const t = get(c);
    if (t === "") return null;
    const v = Number(t);
    return Number.isFinite(v) ? v : fail(c, `expected a number, got "${t}"`);
  };
  const int = (c: string): number | null => {
    const v = number(c);
    return v === null || Number.isInteger(v) ? v : fail(c, `expected an integer, got "${get(c)}"`);
  };
  const bool = (c: string): boolean => {
    const t = get(c).toLowerCase();
    if (t === "" || t === "false" || t === "0") return false;
    if (t === "true" || t === "1") return true;
    return fail(c, `expected true or false, got "${get(c)}"`);
  };
  const vec = (cs: [string, string, string]): Vec3 | null => {
    const v = cs.map(number);
    if (v.every((x) => x === null)) return null;
    if (v.some((x) => x === null)) fail(cs.find((_, i) => v[i] === null)!, `give all of ${cs.join(", ")} or none`);
    return v as Vec3;
  };
  const text = (c: string): string | null => (get(c) === "" ? null : get(c));
  try {
    if (fields.length !== col.size) fail("(row)", `expected ${col.size} columns, got ${fields.length}`);
    const patientId = text("patient_id") ?? fail("patient_id", "required");
    const studyKey = text("study_key") ?? fail("study_key", "required");
    const sex = text("patient_sex");
    if (sex !== null && sex !== "F" && sex !== "M" && sex !== "U") fail("patient_sex", `expected F, M or U, got "${sex}"`);
    const long = number("long_axis_mm");
    const hasObservation = long !== null || text("observation_id") !== null || text("short_axis_mm") !== null;
    let observation: CsvObservation | null = null;
    if (hasObservation) {
      const short = number("short_axis_mm");
      if (long === null) fail("long_axis_mm", "required when the row has an observation");
      if (short === null) fail("short_axis_mm", "required when the row has an observation");
      const emb = get("embedding");
      const embedding = emb === "" ? null : emb.split(/\s+/).map((t) => (Number.isFinite(Number(t)) && t !== "" ? Number(t) : fail("embedding", `"${t}" is not a number`)));
      let source: Record<string, unknown> | null = null;
      if (get("source") !== "") {
        try {
          source = JSON.parse(get("source")) as Record<string, unknown>;
        } catch {
          fail("source", "not valid JSON");
        }
        if (!source || typeof source !== "object" || Array.isArray(source)) fail("source", "expected a JSON object");
      }
      observation = {
        id: text("observation_id"),
        positionMm: vec(["x_mm", "y_mm", "z_mm"]),
        positionNormalized: vec(["x_norm", "y_norm", "z_norm"]),
        longAxisMm: long!, shortAxisMm: short!,
        organ: text("organ"), lesionType: text("lesion_type"),
        nodal: bool("nodal"), noisy: bool("noisy"), embedding, source,
      };
    }
    return {
      ok: true,
      row: {
        patientId, sex: sex as ObservationRow["sex"], birthYear: int("patient_birth_year"), referenceDate: text("patient_reference_date"),
        studyKey, date: text("date"), dayOffset: number("day_offset"), orderIndex: int("order_index"), ageYears: number("age_years"),
        modality: text("modality"), sliceThicknessMm: number("slice_thickness_mm"), observation,
      },
    };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

export type RowEvent = { kind: "row"; line: number; row: ObservationRow } | { kind: "rejected"; line: number; reason: string };

/** Streams rows of the flat CSV (header names the columns, any order; unknown columns are an error). */
export async function* readObservationRows(source: CsvSource): AsyncGenerator<RowEvent> {
  let col: Map<string, number> | null = null;
  for await (const { line, fields } of csvRecords(source)) {
    if (!col) {
      col = headerIndex(fields, REQUIRED);
      const unknown = fields.filter((f) => !(OBSERVATION_CSV_COLUMNS as readonly string[]).includes(f));
      if (unknown.length > 0) throw new CsvFatalError(1, `unknown column(s) ${unknown.join(", ")}`);
      continue;
    }
    const r = parseObservationRow(fields, col);
    yield r.ok ? { kind: "row", line, row: r.row } : { kind: "rejected", line, reason: r.reason };
  }
}

const studyFields = (r: ObservationRow) => [r.date, r.dayOffset, r.orderIndex, r.ageYears, r.modality, r.sliceThicknessMm];
const patientFields = (r: ObservationRow) => [r.sex, r.birthYear, r.referenceDate];
const same = (a: unknown[], b: unknown[]): boolean => a.every((x, i) => x === b[i]);

/** One patient's rows as an ingest batch (validation of values is the service's studyInput). */
export function batchOfRows(rows: { line: number; row: ObservationRow }[]): PatientBatch {
  const first = rows[0]!.row;
  const studies = new Map<string, { input: StudyInput; obs: ObservationInput[] }>();
  for (const { row } of rows) {
    let s = studies.get(row.studyKey);
    if (!s) {
      const input = {
        ...(row.date !== null ? { date: row.date } : {}),
        ...(row.dayOffset !== null ? { dayOffset: row.dayOffset } : {}),
        ...(row.orderIndex !== null ? { orderIndex: row.orderIndex } : {}),
        ...(row.ageYears !== null ? { ageYears: row.ageYears } : {}),
        modality: row.modality ?? "CT",
        ...(row.sliceThicknessMm !== null ? { sliceThicknessMm: row.sliceThicknessMm } : {}),
        observations: [] as ObservationInput[],
      } as StudyInput;
      s = { input, obs: input.observations };
      studies.set(row.studyKey, s);
    }
    const o = row.observation;
    if (o) {
      s.obs.push({
        ...(o.id !== null ? { id: o.id } : {}),
        ...(o.positionMm ? { positionMm: o.positionMm } : {}),
        ...(o.positionNormalized ? { positionNormalized: o.positionNormalized } : {}),
        longAxisMm: o.longAxisMm, shortAxisMm: o.shortAxisMm,
        ...(o.organ !== null ? { organ: o.organ } : {}),
        ...(o.lesionType !== null ? { lesionType: o.lesionType } : {}),
        nodal: o.nodal, noisy: o.noisy,
        ...(o.embedding ? { embedding: o.embedding } : {}),
        ...(o.source ? { source: o.source } : {}),
      });
    }
  }
  return {
    patientId: first.patientId,
    patient: { ...(first.sex ? { sex: first.sex } : {}), ...(first.birthYear !== null ? { birthYear: first.birthYear } : {}), ...(first.referenceDate ? { referenceDate: first.referenceDate } : {}), metadata: {} },
    studies: [...studies.entries()].map(([studyKey, s]) => ({ studyKey, input: s.input })),
  };
}

export type CsvPatientEvent = { kind: "patient"; batch: PatientBatch; lines: number[] } | { kind: "rejected"; line: number; reason: string };

/**
 * Streams patients of the flat CSV: a patient's rows must be contiguous (only one patient is held
 * in memory); a row whose patient or study columns contradict an earlier row of it is rejected.
 */
export async function* readObservationsCsv(source: CsvSource): AsyncGenerator<CsvPatientEvent> {
  let current: { line: number; row: ObservationRow }[] = [];
  const studyFirst = new Map<string, { line: number; row: ObservationRow }>();
  const done = new Set<string>();
  const flush = function* (): Generator<CsvPatientEvent> {
    if (current.length === 0) return;
    done.add(current[0]!.row.patientId);
    yield { kind: "patient", batch: batchOfRows(current), lines: current.map((r) => r.line) };
    current = [];
    studyFirst.clear();
  };
  for await (const ev of readObservationRows(source)) {
    if (ev.kind === "rejected") {
      yield ev;
      continue;
    }
    const { row, line } = ev;
    if (current.length > 0 && current[0]!.row.patientId !== row.patientId) yield* flush();
    if (done.has(row.patientId)) {
      yield { kind: "rejected", line, reason: `out of order: rows of patient ${row.patientId} must be contiguous` };
      continue;
    }
    const head = current[0];
    if (head && !same(patientFields(head.row), patientFields(row))) {
      yield { kind: "rejected", line, reason: `patient ${row.patientId}: patient columns differ from line ${head.line}` };
      continue;
    }
    const sf = studyFirst.get(row.studyKey);
    if (sf && !same(studyFields(sf.row), studyFields(row))) {
      yield { kind: "rejected", line, reason: `study ${row.studyKey}: study columns differ from line ${sf.line}` };
      continue;
    }
    if (!sf) studyFirst.set(row.studyKey, ev);
    current.push(ev);
  }
  yield* flush();
}
