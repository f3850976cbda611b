/**
 * The one feature function of the growth model: training (src/train) and inference
 * (domain/growth/forecast.ts) both call it, and the model card records FEATURE_VERSION
 * so that a model trained on other features is refused at load time.
 */

/** Bump whenever the vector below changes meaning, order or scaling. */
export const FEATURE_VERSION = "growth-features-v1";

/** Offset (mm) in log(d + c): a 0 mm ("no longer measurable") reading stays finite. */
export const SIZE_OFFSET_MM = 5;

/** Reference size (mm) that centres the level feature. */
const REFERENCE_SIZE_MM = 30;
const DAYS_PER_YEAR = 365.25;
/** Shortest interval (days) used for a slope: repeated scan times must not explode it. */
const MIN_SLOPE_INTERVAL_DAYS = 7;

export const FEATURE_NAMES = [
  "horizon_years",
  "level_log",
  "slope_last_x_horizon",
  "slope_last3_x_horizon",
  "log_ratio_last_nadir",
  "log_ratio_last_baseline",
  "years_since_nadir",
  "log_readings",
  "last_is_zero",
  "log_ratio_last_nadir_x_horizon",
] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length;

/** A size history: times in days (non-decreasing) and sizes in mm (0 = not measurable). */
export interface GrowthHistory {
  timesDays: readonly number[];
  sizesMm: readonly number[];
  /** Baseline size (mm); default the first size of the history. */
  baselineMm?: number;
  /** Nadir (mm), smallest size so far; default the minimum of the history. */
  nadirMm?: number;
}

/** log(d + c) with the model's zero-safe offset; d in mm. */
export function logSize(sizeMm: number): number {
  return Math.log(Math.max(0, sizeMm) + SIZE_OFFSET_MM);
}

const clip = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

/** Least-squares slope (per day) of log size over the given points; 0 if undefined. */
function logSlope(times: readonly number[], sizes: readonly number[]): number {
  const n = times.length;
  if (n < 2) return 0;
  const ys = sizes.map(logSize);
  const tMean = times.reduce((a, b) => a + b, 0) / n;
  const yMean = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dt = (times[i] ?? 0) - tMean;
    sxy += dt * ((ys[i] ?? 0) - yMean);
    sxx += dt * dt;
  }
  const spanDays = (times[n - 1] ?? 0) - (times[0] ?? 0);
  if (spanDays < MIN_SLOPE_INTERVAL_DAYS) return 0;
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Turns a size history and a horizon (days after the last scan) into the model input
 * vector, in FEATURE_NAMES order. Every feature is clipped so that unusual series (one
 * point, zeros, repeated times, years-long horizons) stay in the training range.
 * @example growthFeatures({ timesDays: [0, 42], sizesMm: [20, 24] }, 56)
 */
export function growthFeatures(history: GrowthHistory, horizonDays: number): Float32Array {
  const { timesDays, sizesMm } = history;
  const n = sizesMm.length;
  if (n === 0 || timesDays.length !== n) throw new Error("growthFeatures: need >= 1 point and equal lengths");
  const last = sizesMm[n - 1] ?? 0;
  const tLast = timesDays[n - 1] ?? 0;
  const baseline = history.baselineMm ?? sizesMm[0] ?? last;
  let nadir = history.nadirMm ?? Infinity;
  let tNadir = tLast;
  for (let i = 0; i < n; i++) {
    const s = sizesMm[i] ?? 0;
    if (history.nadirMm === undefined && s < nadir) nadir = s;
    if (s <= nadir) tNadir = timesDays[i] ?? tLast;
  }
  if (!Number.isFinite(nadir)) nadir = last;
  const h = clip(horizonDays / DAYS_PER_YEAR, 0, 3);
  const lastInterval = n >= 2 ? tLast - (timesDays[n - 2] ?? tLast) : 0;
  const slopeLast =
    n >= 2 ? (logSize(last) - logSize(sizesMm[n - 2] ?? last)) / Math.max(lastInterval, MIN_SLOPE_INTERVAL_DAYS) : 0;
  const slope3 = logSlope(timesDays.slice(-3), sizesMm.slice(-3));
  const fromNadir = clip(logSize(last) - logSize(nadir), 0, 2);
  const features = [
    h,
    clip(logSize(last) - logSize(REFERENCE_SIZE_MM), -2, 2),
    clip(slopeLast * horizonDays, -1, 1),
    clip(slope3 * horizonDays, -1, 1),
    fromNadir,
    clip(logSize(last) - logSize(baseline), -2, 2),
    clip((tLast - tNadir) / DAYS_PER_YEAR, 0, 3),
    Math.log(n),
    last <= 0 ? 1 : 0,
    fromNadir * h,
  ];
  return Float32Array.from(features);
}
