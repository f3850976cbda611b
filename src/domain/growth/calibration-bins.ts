/**
 * The Mondrian bins of the forecast interval: what is known at the forecast origin that
 * changes how far a lesion moves. Horizon (changes grow with time) and the last change
 * (a lesion that just moved keeps moving more than a stable one). Chosen on
 * laleh2022_train.csv leave-one-study-out (src/train/EXPERIMENTS.md).
 */

/** Upper edges (weeks) of the horizon bins; beyond the last is the third bin. */
export const HORIZON_EDGES_WEEKS = [9, 18] as const;
/** |log((d_last + c) / (d_prev + c))| below this is "stable". */
export const STABLE_CHANGE = 0.05;

export const HORIZON_BINS = ["h1", "h2", "h3"] as const;
export const CHANGE_BINS = ["down", "stable", "up"] as const;
export const BIN_NAMES: readonly string[] = HORIZON_BINS.flatMap((h) => CHANGE_BINS.map((c) => `${h}_${c}`));

export interface CalibrationBin {
  horizon: number;
  change: number;
  /** Index in BIN_NAMES. */
  index: number;
}

/** Bin of a forecast from its history's last change (in log(d + offsetMm)) and its horizon. */
export function calibrationBin(sizesMm: readonly number[], horizonDays: number, offsetMm: number): CalibrationBin {
  const weeks = horizonDays / 7;
  const horizon = weeks <= HORIZON_EDGES_WEEKS[0] ? 0 : weeks <= HORIZON_EDGES_WEEKS[1] ? 1 : 2;
  const n = sizesMm.length;
  const last = sizesMm[n - 1] ?? 0;
  const prev = sizesMm[n - 2] ?? last;
  const change = Math.log(Math.max(0, last) + offsetMm) - Math.log(Math.max(0, prev) + offsetMm);
  const c = change > STABLE_CHANGE ? 2 : change < -STABLE_CHANGE ? 0 : 1;
  return { horizon, change: c, index: horizon * CHANGE_BINS.length + c };
}
