import { describe, expect, it } from "vitest";
import { daysToThreshold, deriveGrowth, fitGrowthModel, locfMm } from "../../../src/domain/growth/fit.ts";
import { GROWTH_MODELS, GROWTH_MODEL_NAMES, type GrowthModelName } from "../../../src/domain/growth/models.ts";

/** Deterministic noise in [-amp, amp] (LCG), so generated data are fixed per seed. */
function noise(seed: number, amp: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * amp;
  };
}

const TIMES = Array.from({ length: 12 }, (_, i) => i * 30);

// Known parameters per model, chosen so the curve is identifiable over a year of monthly scans.
const TRUTH: Record<GrowthModelName, number[]> = {
  exponential: [20, 0.004],
  logistic: [20, 45, 0.02],
  gompertz: [20, 45, 0.01],
  classicalBertalanffy: [40, 15, 0.01],
  generalBertalanffy: [20, 45, 0.01, 0.5],
  steinFojo: [30, 0.02, 0.004],
};

describe("fitGrowthModel recovers known parameters", () => {
  for (const name of GROWTH_MODEL_NAMES) {
    for (const seed of [1, 2, 3]) {
      it(`${name}, seed ${seed}: 0.05 mm noise`, () => {
        const model = GROWTH_MODELS[name];
        const truth = TRUTH[name];
        const eps = noise(seed, 0.05);
        const sizesMm = TIMES.map((t) => model.diameterMm(truth, t) + eps());
        const fit = fitGrowthModel(name, { timesDays: TIMES, sizesMm })!;
        expect(fit.converged).toBe(true);
        expect(fit.rmseMm).toBeLessThan(0.1);
        // Shape parameters of the general model are weakly identified; the curve must still match.
        const checked = name === "generalBertalanffy" ? [0] : truth.map((_, i) => i);
        for (const i of checked) expect(Math.abs(fit.params[model.params[i]!]! - truth[i]!) / Math.abs(truth[i]!)).toBeLessThan(0.1);
        for (const t of [400, 450]) expect(Math.abs(fit.predictMm(t) - model.diameterMm(truth, t))).toBeLessThan(1.5);
      });
    }
  }
});

describe("fit edge cases", () => {
  it("returns null with fewer points than parameters", () => {
    expect(fitGrowthModel("generalBertalanffy", { timesDays: [0, 30, 60], sizesMm: [10, 11, 12] })).toBeNull();
    expect(fitGrowthModel("exponential", { timesDays: [0], sizesMm: [10] })).toBeNull();
  });
  it("fits a series that reaches 0 mm without NaN", () => {
    const fit = fitGrowthModel("steinFojo", { timesDays: [0, 40, 80, 120], sizesMm: [20, 10, 0, 0] })!;
    expect(Number.isFinite(fit.predictMm(200))).toBe(true);
    expect(fit.predictMm(200)).toBeGreaterThanOrEqual(0);
  });
  it("LOCF is the last size", () => {
    expect(locfMm({ timesDays: [0, 1, 2], sizesMm: [3, 4, 7] })).toBe(7);
  });
});

describe("derived quantities", () => {
  it("doubling time is ln 2 / g of the Stein-Fojo regrowth rate", () => {
    const truth = TRUTH.steinFojo;
    const sizesMm = TIMES.map((t) => GROWTH_MODELS.steinFojo.diameterMm(truth, t));
    const d = deriveGrowth({ timesDays: TIMES, sizesMm });
    expect(d.growthRatePerDay).toBeCloseTo(0.004, 4);
    expect(d.decayRatePerDay).toBeCloseTo(0.02, 3);
    expect(d.doublingTimeDays).toBeCloseTo(Math.LN2 / 0.004, -1);
  });
  it("time to the RECIST threshold matches the exponential curve analytically", () => {
    // d(t) = 10 exp(g t / 3); nadir 10 mm -> threshold 15 mm (nadir + 5 > 1.2 nadir).
    const g = 0.006;
    const timesDays = [0, 30, 60];
    const sizesMm = timesDays.map((t) => 10 * Math.exp((g * t) / 3));
    const fit = fitGrowthModel("exponential", { timesDays, sizesMm })!;
    const expected = (3 * Math.log(1.5)) / g - 60;
    expect(daysToThreshold(fit, { timesDays, sizesMm })).toBeCloseTo(expected, 0);
  });
  it("a shrinking lesion never reaches the threshold", () => {
    const timesDays = [0, 30, 60, 90];
    const sizesMm = [30, 25, 20, 16];
    const fit = fitGrowthModel("exponential", { timesDays, sizesMm })!;
    expect(daysToThreshold(fit, { timesDays, sizesMm })).toBeNull();
  });
});
