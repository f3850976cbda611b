import { linearRegression } from "simple-statistics";

/**
 * A lesion that grew at each of its last intervals tends to keep growing; LOCF forecasts it
 * flat. Rule from issue 14 (not fitted on the benchmark): half the least-squares slope (mm/day)
 * of the last `window` sizes, carried over the horizon, once the last `growingIntervals` all grew.
 */
export const DAMPED_TREND = { growingIntervals: 3, window: 4, damping: 0.5 } as const;

/** True when each of the last `intervals` intervals of the series grew strictly. */
export function grewAtEachInterval(sizesMm: readonly number[], intervals: number): boolean {
  const n = sizesMm.length;
  if (n <= intervals) return false;
  for (let i = n - intervals; i < n; i++) if (!(sizesMm[i]! > sizesMm[i - 1]!)) return false;
  return true;
}

/**
 * The damped-trend forecast (mm) at `horizonDays` after the last scan, or null when the
 * series did not grow at each of its last intervals (then the forecast stays LOCF).
 * @example dampedTrendMm([0, 56, 112, 168], [20, 22, 25, 28], 56) // 28 + 0.5 * 0.0488 * 56
 */
export function dampedTrendMm(timesDays: readonly number[], sizesMm: readonly number[], horizonDays: number): number | null {
  if (!grewAtEachInterval(sizesMm, DAMPED_TREND.growingIntervals)) return null;
  const n = sizesMm.length;
  const from = Math.max(0, n - DAMPED_TREND.window);
  const points = sizesMm.slice(from).map((d, i) => [timesDays[from + i]!, d]);
  const spanDays = points.at(-1)![0]! - points[0]![0]!;
  if (!(spanDays > 0)) return null;
  const { m } = linearRegression(points);
  return Math.max(0, sizesMm[n - 1]! + DAMPED_TREND.damping * m * Math.max(0, horizonDays));
}
