import { quantileSorted } from "simple-statistics";
import { probabilityAtLeast, recistProgressionThresholdMm } from "../domain/growth/progression.ts";
import type { GrowthRow } from "./data.ts";
import type { BenchCase, PointForecast } from "./evaluate.ts";

/**
 * The comparator of issue 14: last value carried forward with an interval multiplicative in
 * (d + 2 mm), from the 10 % / 90 % quantiles of log((d_h + 2) / (d_last + 2)) per step ahead
 * (1st, 2nd later scan) over every history prefix of the training rows.
 */
export const LOCF_QUANTILE_OFFSET_MM = 2;
const STEPS = 2;

const logOf = (d: number): number => Math.log(Math.max(0, d) + LOCF_QUANTILE_OFFSET_MM);

export interface StepQuantiles {
  lo: number;
  hi: number;
  n: number;
}

/** Quantiles per step ahead from `rows` (prefixes of at least 2 scans, as training uses). */
export function locfQuantileTable(rows: readonly GrowthRow[]): StepQuantiles[] {
  const steps: number[][] = Array.from({ length: STEPS }, () => []);
  for (const r of rows) {
    const n = r.diamMm.length;
    for (let k = 2; k < n; k++) {
      for (let j = k; j < Math.min(n, k + STEPS); j++) steps[j - k]!.push(logOf(r.diamMm[j]!) - logOf(r.diamMm[k - 1]!));
    }
  }
  return steps.map((v) => {
    const sorted = v.sort((a, b) => a - b);
    return { lo: quantileSorted(sorted, 0.1), hi: quantileSorted(sorted, 0.9), n: sorted.length };
  });
}

/** LOCF with the table's interval (the last step's quantiles beyond it) and P(PD) from the same quantiles. */
export function locfQuantileForecasts(table: readonly StepQuantiles[], cases: readonly BenchCase[]): PointForecast[][] {
  return cases.map((c) =>
    c.targets.map((_, step) => {
      const q = table[Math.min(step, table.length - 1)]!;
      const toMm = (r: number): number => Math.max(0, Math.exp(logOf(c.lastMm) + r) - LOCF_QUANTILE_OFFSET_MM);
      const threshold = logOf(recistProgressionThresholdMm(c.nadirMm)) - logOf(c.lastMm);
      return { predMm: c.lastMm, q10Mm: toMm(q.lo), q90Mm: toMm(q.hi), pPd: probabilityAtLeast({ q10: q.lo, q50: 0, q90: q.hi }, threshold) };
    }),
  );
}
