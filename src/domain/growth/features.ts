/**
 * The one feature function of the growth model: training (src/train) and inference
 * (domain/growth/forecast.ts) both call it, and the model card records FEATURE_VERSION
 * so that a model trained on other features is refused at load time.
 */
import { BIN_NAMES, calibrationBin } from "./calibration-bins.ts";
import { dampedTrendMm } from "./damped-trend.ts";

/** Bump whenever the vector below changes meaning, order or scaling. */
export const FEATURE_VERSION = "growth-features-v2";

/**
 * Offset (mm) in log(d + c): a 0 mm ("no longer measurable") reading stays finite, and
 * intervals are multiplicative in (d + 2 mm), the shape that held on an unseen trial (issue 14).
 */
export const SIZE_OFFSET_MM = 2;

const DAYS_PER_YEAR = 365.25;

/** horizon, the damped trend's log ratio, then one indicator per calibration bin (Mondrian). */
export const FEATURE_NAMES = ["horizon_years", "trend_log_ratio", ...BIN_NAMES.map((b) => `bin_${b}`)] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** A size history: times in days (non-decreasing) and sizes in mm (0 = not measurable). */
export interface GrowthHistory {
  timesDays: readonly number[];
  sizesMm: readonly number[];
}

/** log(d + c) with the model's zero-safe offset; d in mm. */
export function logSize(sizeMm: number): number {
  return Math.log(Math.max(0, sizeMm) + SIZE_OFFSET_MM);
}

/**
 * Turns a size history and a horizon (days after the last scan) into the model input
 * vector, in FEATURE_NAMES order: log((trend forecast + c) / (last + c)) (0 = LOCF) and
 * the one-hot calibration bin, so the model's heads are trend + the bin's quantiles.
 * @example growthFeatures({ timesDays: [0, 42], sizesMm: [20, 24] }, 56)
 */
export function growthFeatures(history: GrowthHistory, horizonDays: number): Float32Array {
  const { timesDays, sizesMm } = history;
  const n = sizesMm.length;
  if (n === 0 || timesDays.length !== n) throw new Error("growthFeatures: need >= 1 point and equal lengths");
  const last = sizesMm[n - 1] ?? 0;
  const trend = dampedTrendMm(timesDays, sizesMm, horizonDays);
  const x = new Float32Array(FEATURE_COUNT);
  x[0] = Math.min(Math.max(horizonDays, 0) / DAYS_PER_YEAR, 3);
  x[1] = trend === null ? 0 : logSize(trend) - logSize(last);
  x[2 + calibrationBin(sizesMm, horizonDays, SIZE_OFFSET_MM).index] = 1;
  return x;
}
