import { logSize } from "./features.ts";
import type { LogRatioQuantiles } from "./quantile-model.ts";

/**
 * Per-cohort recalibration: once a cohort has COHORT_CALIBRATION_MIN_SCORED scored forecasts
 * of its own, its intervals are rescaled (split-conformal, around the median in log(d + c))
 * so that 80 % of those forecasts would have been inside; P(PD) follows from the rescaled
 * quantiles. Below the threshold the population calibration of the model card stands.
 */
export const COHORT_CALIBRATION_MIN_SCORED = 50;
/** The most recent scored forecasts a cohort's scale is taken from. */
export const COHORT_CALIBRATION_WINDOW = 500;
/** A scale outside this range says the cohort is unlike anything the model knows: clamp it. */
const SCALE_RANGE = [0.25, 4] as const;
const COVERAGE = 0.8;
const MIN_HALF_WIDTH = 1e-3;

export interface IntervalCalibration {
  /** population = the model card's; cohort = rescaled on the cohort's own scored forecasts; fallback = no model or a single scan. */
  source: "population" | "cohort" | "fallback";
  /** Multiplies both half-widths of the population interval (log scale); 1 = population. */
  scale: number;
  /** Scored forecasts of the cohort it was taken from. */
  scoredForecasts: number;
}

export const POPULATION_CALIBRATION: IntervalCalibration = { source: "population", scale: 1, scoredForecasts: 0 };

/** What a scored forecast contributes: its served interval, the scale it was served with, the truth. */
export interface ScoredInterval {
  predMm: number;
  q10Mm: number;
  q90Mm: number;
  intervalScale: number;
  actualMm: number;
}

/**
 * How many population half-widths the truth lay from the median: the nonconformity score
 * (the served interval divided by the scale it was served with, so scores do not feed back).
 */
export function nonconformity(s: ScoredInterval): number {
  const m = logSize(s.predMm);
  const r = logSize(s.actualMm) - m;
  const scale = s.intervalScale > 0 ? s.intervalScale : 1;
  const half = r >= 0 ? (logSize(s.q90Mm) - m) / scale : (m - logSize(s.q10Mm)) / scale;
  return Math.abs(r) / Math.max(half, MIN_HALF_WIDTH);
}

/**
 * The cohort's interval scale: the ceil((n + 1) 0.8)-th smallest nonconformity score
 * (split-conformal), when n >= COHORT_CALIBRATION_MIN_SCORED; else the population's.
 */
export function cohortCalibration(scored: readonly ScoredInterval[], minScored = COHORT_CALIBRATION_MIN_SCORED): IntervalCalibration {
  const n = scored.length;
  if (n < minScored || n === 0) return { ...POPULATION_CALIBRATION, scoredForecasts: n };
  const scores = scored.map(nonconformity).sort((a, b) => a - b);
  const k = Math.min(n, Math.ceil((n + 1) * COVERAGE)) - 1;
  const scale = Math.min(SCALE_RANGE[1], Math.max(SCALE_RANGE[0], scores[k]!));
  return { source: "cohort", scale, scoredForecasts: n };
}

/** Quantiles with both half-widths multiplied by `scale` around the median. */
export function scaleQuantiles(q: LogRatioQuantiles, scale: number): LogRatioQuantiles {
  if (scale === 1) return q;
  return { q10: q.q50 - scale * (q.q50 - q.q10), q50: q.q50, q90: q.q50 + scale * (q.q90 - q.q50) };
}
