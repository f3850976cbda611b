import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
import { DAYS_PER_WEEK } from "../domain/units.ts";

/** One lesion series of the growth CSV (TumorGrowth.jl `patient_data.csv` layout). */
export interface GrowthRow {
  id: string;
  study: number;
  /** Scan times in weeks as in the file (the benchmark protocol's time axis). */
  weeks: number[];
  /** Scan times in days, derived as weeks * 7 so that days and weeks never disagree. */
  timesDays: number[];
  diamMm: number[];
  normvol: number[];
}

/** Default training / benchmark file, relative to the repository root (data live outside the repo). */
export const DEFAULT_GROWTH_DATA = "../shared/data/growth/laleh2022_train.csv";

/** Longest lesion in the source data (mm): normvol = (diam / 228)^3. */
export const NORMVOL_DIAM_MM = 228;

/** Reads the growth CSV: CSV first, then each list cell as JSON (README "List-cell encoding"). */
export function readGrowthCsv(file: string): { rows: GrowthRow[]; sha256: string } {
  const text = readFileSync(file);
  const sha256 = createHash("sha256").update(text).digest("hex");
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const rows = records.map((r): GrowthRow => {
    const list = (key: string): number[] => {
      const value = r[key];
      if (value === undefined) throw new Error(`growth CSV: missing column ${key}`);
      return JSON.parse(value) as number[];
    };
    const weeks = list("T_weeks");
    const diamMm = list("Lesion_diam");
    const normvol = list("Lesion_normvol");
    if (weeks.length !== diamMm.length || weeks.length !== normvol.length) {
      throw new Error(`growth CSV: list lengths differ in row ${r.Pt_hashID}`);
    }
    return {
      id: r.Pt_hashID ?? "",
      study: Number(r.Study_id),
      weeks,
      timesDays: weeks.map((w) => w * DAYS_PER_WEEK),
      diamMm,
      normvol,
    };
  });
  return { rows, sha256 };
}
