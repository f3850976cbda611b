import type { LogRatioQuantiles } from "./quantile-model.ts";

/** Version string of the no-model fallback; forecasts made with it say so. */
export const BASELINE_VERSION = "baseline-locf-v1";

/**
 * Spread of log((d_h + c) / (d_last + c)) without a model: sigma = a + b sqrt(years).
 * a, b set so that LOCF +- 1.28 sigma covered about 80 % of held-out points of
 * laleh2022_train.csv (bench growth, rows with >= 6 readings); 0.78 since c = 2 mm.
 */
export const BASELINE_SPREAD = { a: 0.04, b: 0.2 } as const;
const Z90 = 1.2815515655446004;

/**
 * Last value carried forward with an interval widening with the horizon (days);
 * `widen` multiplies the spread (e.g. 2 for a single-scan history).
 */
export function baselineQuantiles(horizonDays: number, widen = 1): LogRatioQuantiles {
  const years = Math.max(0, horizonDays) / 365.25;
  const sigma = widen * (BASELINE_SPREAD.a + BASELINE_SPREAD.b * Math.sqrt(years));
  return { q10: -Z90 * sigma, q50: 0, q90: Z90 * sigma };
}
