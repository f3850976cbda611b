import { logSize } from "./features.ts";
import type { LogRatioQuantiles } from "./quantile-model.ts";

/** z of the 90 % quantile of the standard normal. */
const Z90 = 1.2815515655446004;
/** Floor on each half-width (log units): an interval of width 0 would give p of exactly 0 or 1. */
const MIN_HALF_WIDTH = 0.01;

/** RECIST 1.1 progression threshold (mm): at least +20 % and at least +5 mm over the nadir. */
export function recistProgressionThresholdMm(nadirMm: number): number {
  return Math.max(1.2 * nadirMm, nadirMm + 5);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * P(log ratio >= t) under a two-piece normal through q10, q50, q90 (each half matches
 * its quantile), so skewed intervals give skewed probabilities.
 */
export function probabilityAtLeast(q: LogRatioQuantiles, t: number): number {
  const lo = Math.max((q.q50 - q.q10) / Z90, MIN_HALF_WIDTH);
  const hi = Math.max((q.q90 - q.q50) / Z90, MIN_HALF_WIDTH);
  const sigma = t >= q.q50 ? hi : lo;
  return 1 - normalCdf((t - q.q50) / sigma);
}

/**
 * Probability that the size at the horizon meets the RECIST progression threshold over
 * the nadir, given log-ratio quantiles relative to the last size (all sizes in mm).
 */
export function progressionProbability(q: LogRatioQuantiles, lastMm: number, nadirMm: number): number {
  const t = logSize(recistProgressionThresholdMm(nadirMm)) - logSize(lastMm);
  return probabilityAtLeast(q, t);
}
