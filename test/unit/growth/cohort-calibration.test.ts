import { describe, expect, it } from "vitest";
import { cohortCalibration, COHORT_CALIBRATION_MIN_SCORED, nonconformity, scaleQuantiles, type ScoredInterval } from "../../../src/domain/growth/cohort-calibration.ts";
import { logSize } from "../../../src/domain/growth/features.ts";
import { brierScore, reliability, summariseSkill } from "../../../src/domain/growth/skill.ts";

/** Forecasts of 20 mm with a +-10 % interval (log scale), truths at k half-widths out. */
function scoredAt(ks: readonly number[], intervalScale = 1): ScoredInterval[] {
  const m = logSize(20);
  const half = 0.1 * intervalScale;
  const mm = (v: number): number => Math.exp(v) - (Math.exp(m) - 20);
  return ks.map((k) => ({ predMm: 20, q10Mm: mm(m - half), q90Mm: mm(m + half), intervalScale, actualMm: mm(m + (k >= 0 ? 1 : -1) * Math.abs(k) * 0.1) }));
}

describe("per-cohort recalibration", () => {
  it(`keeps the population calibration below ${COHORT_CALIBRATION_MIN_SCORED} scored forecasts and takes over at it`, () => {
    const wide = Array.from({ length: COHORT_CALIBRATION_MIN_SCORED }, (_, i) => 2 * ((i % 10) / 10 + 0.05));
    expect(cohortCalibration(scoredAt(wide.slice(1)))).toEqual({ source: "population", scale: 1, scoredForecasts: COHORT_CALIBRATION_MIN_SCORED - 1 });
    const c = cohortCalibration(scoredAt(wide));
    expect(c.source).toBe("cohort");
    expect(c.scoredForecasts).toBe(COHORT_CALIBRATION_MIN_SCORED);
    // truths spread over 0.1..1.9 half-widths: 80 % lie within about 1.6 of them
    expect(c.scale).toBeGreaterThan(1.4);
    expect(c.scale).toBeLessThan(1.9);
  });
  it("the rescaled interval covers 80 % of the forecasts it was taken from (split conformal)", () => {
    const ks = Array.from({ length: 200 }, (_, i) => (i % 2 ? 1 : -1) * (0.3 + (i * 7919) % 200 / 100));
    const scored = scoredAt(ks);
    const { scale } = cohortCalibration(scored);
    const inside = scored.filter((s) => nonconformity(s) <= scale).length / scored.length;
    expect(inside).toBeGreaterThanOrEqual(0.8);
    expect(inside).toBeLessThan(0.82);
  });
  it("scores forecasts served with a cohort scale against the population interval (no feedback)", () => {
    // the same truth, served with a doubled interval: still 1.5 population half-widths out
    expect(nonconformity(scoredAt([1.5], 2)[0]!)).toBeCloseTo(1.5, 6);
    expect(nonconformity(scoredAt([1.5], 1)[0]!)).toBeCloseTo(1.5, 6);
  });
  it("scaleQuantiles widens both sides around the median", () => {
    const q = scaleQuantiles({ q10: -0.2, q50: 0.1, q90: 0.3 }, 2);
    expect([q.q10, q.q50, q.q90].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-0.5, 0.1, 0.5]);
  });
});

describe("skill figures", () => {
  it("Brier, reliability and ECE on a worked example", () => {
    const probs = [0.05, 0.15, 0.15, 0.95, 1];
    const outcomes = [0, 0, 1, 1, 1];
    expect(brierScore(probs, outcomes)).toBeCloseTo((0.0025 + 0.0225 + 0.7225 + 0.0025 + 0) / 5, 12);
    const r = reliability(probs, outcomes);
    expect(r.bins.map((b) => b.n)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 2]);
    expect(r.bins[1]).toMatchObject({ meanPredicted: 0.15, observed: 0.5 });
    expect(r.ece).toBeCloseTo((1 / 5) * 0.05 + (2 / 5) * 0.35 + (2 / 5) * 0.025, 12);
  });
  it("summarises MAE against LOCF on the same points, and coverage", () => {
    const s = summariseSkill([
      { absErrorMm: 1, locfAbsErrorMm: 2, inside: true, pProgression: 0.2, progressed: false },
      { absErrorMm: 3, locfAbsErrorMm: 2, inside: false, pProgression: 0.7, progressed: true },
    ]);
    expect(s).toMatchObject({ n: 2, maeMm: 2, locfMaeMm: 2, maeRatioToLocf: 1, coverage80: 0.5, progressionRate: 0.5, brierBaseRate: 0.25 });
    expect(summariseSkill([]).maeMm).toBeNull();
  });
});

describe("recalibration and skill at their edges (worked by hand)", () => {
  it("a truth below the median is measured against the lower half of an uneven interval", () => {
    // median 20, interval 10..25: a truth at 10 is exactly one lower half-width out, one at 25 one upper half-width out.
    expect(nonconformity({ predMm: 20, q10Mm: 10, q90Mm: 25, intervalScale: 1, actualMm: 10 })).toBeCloseTo(1, 12);
    expect(nonconformity({ predMm: 20, q10Mm: 10, q90Mm: 25, intervalScale: 1, actualMm: 25 })).toBeCloseTo(1, 12);
    // served with a scale of 0 (never stored by the service): read as the population scale 1
    expect(nonconformity({ predMm: 20, q10Mm: 10, q90Mm: 25, intervalScale: 0, actualMm: 25 })).toBeCloseTo(1, 12);
  });

  it("takes the ceil((n + 1) 0.8)-th smallest score: with 50 scores 0.04, 0.08, ..., 2.00 that is the 41st, 1.64", () => {
    const ks = Array.from({ length: 50 }, (_, i) => ((i + 1) / 50) * 2);
    expect(cohortCalibration(scoredAt(ks)).scale).toBeCloseTo(1.64, 9);
    expect(cohortCalibration([], 0)).toEqual({ source: "population", scale: 1, scoredForecasts: 0 });
  });

  it("scale 1 leaves the population quantiles as they are", () => {
    const q = { q10: -0.2, q50: 0.1, q90: 0.3 };
    expect(scaleQuantiles(q, 1)).toBe(q);
  });

  it("reliability bins are tenths of probability; no forecasts give an ECE of 0, not NaN", () => {
    const r = reliability([0.35], [1]);
    expect(r.bins[3]).toEqual({ lo: 0.3, hi: 0.4, n: 1, meanPredicted: 0.35, observed: 1 });
    expect(r.bins[9]!.hi).toBe(1);
    expect(reliability([], []).ece).toBe(0);
  });

  it("no ratio to LOCF when LOCF made no error", () => {
    expect(summariseSkill([{ absErrorMm: 1, locfAbsErrorMm: 0, inside: true, pProgression: 0.2, progressed: false }]).maeRatioToLocf).toBeNull();
  });
});
