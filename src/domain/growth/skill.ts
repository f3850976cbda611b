/**
 * How good past forecasts were, once their target scans arrived: the same figures for the
 * benchmark (src/train) and for a cohort's stored, scored forecasts (GET .../forecast-skill).
 */
import { mean, sum } from "simple-statistics";

/** One forecast compared with what its target scan measured. */
export interface ScoredForecast {
  absErrorMm: number;
  /** |last size carried forward - truth|, on the same point. */
  locfAbsErrorMm: number;
  /** Truth inside [q10, q90]. */
  inside: boolean;
  pProgression: number;
  /** The target scan met the RECIST progression threshold over the forecast's nadir. */
  progressed: boolean;
}

export interface ReliabilityBin {
  /** Bin of predicted probability [lo, hi). */
  lo: number;
  hi: number;
  n: number;
  /** Mean predicted probability and observed frequency in the bin (null when empty). */
  meanPredicted: number | null;
  observed: number | null;
}

export interface SkillSummary {
  n: number;
  maeMm: number | null;
  locfMaeMm: number | null;
  /** MAE / LOCF MAE on the same points (null when LOCF was exact on all of them). */
  maeRatioToLocf: number | null;
  /** Share inside the 80 % interval. */
  coverage80: number | null;
  brier: number | null;
  /** Brier of always predicting the observed progression rate. */
  brierBaseRate: number | null;
  progressionRate: number | null;
  ece: number | null;
  reliability: ReliabilityBin[];
}

export const RELIABILITY_BINS = 10;

/** Mean squared difference between probabilities and 0/1 outcomes. */
export function brierScore(probs: readonly number[], outcomes: readonly number[]): number {
  return mean(probs.map((p, i) => (p - outcomes[i]!) ** 2));
}

/**
 * Reliability table over equal-width probability bins (p = 1 falls in the last bin) and the
 * expected calibration error: sum over bins of n_b / N * |mean p - observed frequency|.
 */
export function reliability(probs: readonly number[], outcomes: readonly number[], bins = RELIABILITY_BINS): { bins: ReliabilityBin[]; ece: number } {
  const members: number[][] = Array.from({ length: bins }, () => []);
  probs.forEach((p, i) => members[Math.min(bins - 1, Math.max(0, Math.floor(p * bins)))]!.push(i));
  let ece = 0;
  const table = members.map((idx, b): ReliabilityBin => {
    const meanPredicted = idx.length ? mean(idx.map((i) => probs[i]!)) : null;
    const observed = idx.length ? mean(idx.map((i) => outcomes[i]!)) : null;
    if (meanPredicted !== null && observed !== null) ece += (idx.length / probs.length) * Math.abs(meanPredicted - observed);
    return { lo: b / bins, hi: (b + 1) / bins, n: idx.length, meanPredicted, observed };
  });
  return { bins: table, ece };
}

/** The skill figures of a set of scored forecasts (all null when there are none). */
export function summariseSkill(scored: readonly ScoredForecast[]): SkillSummary {
  const n = scored.length;
  const probs = scored.map((s) => s.pProgression);
  const outcomes = scored.map((s) => (s.progressed ? 1 : 0));
  const table = reliability(probs, outcomes);
  if (n === 0) {
    return { n, maeMm: null, locfMaeMm: null, maeRatioToLocf: null, coverage80: null, brier: null, brierBaseRate: null, progressionRate: null, ece: null, reliability: table.bins };
  }
  const mae = mean(scored.map((s) => s.absErrorMm));
  const locf = mean(scored.map((s) => s.locfAbsErrorMm));
  const rate = mean(outcomes);
  return {
    n,
    maeMm: mae,
    locfMaeMm: locf,
    maeRatioToLocf: locf > 0 ? mae / locf : null,
    coverage80: sum(scored.map((s) => (s.inside ? 1 : 0))) / n,
    brier: brierScore(probs, outcomes),
    brierBaseRate: brierScore(outcomes.map(() => rate), outcomes),
    progressionRate: rate,
    ece: table.ece,
    reliability: table.bins,
  };
}
