// Classical fits and the damped trend at their edges; every expected value is worked out in the comments.
import { describe, expect, it } from "vitest";
import { dampedTrendMm, grewAtEachInterval } from "../../../src/domain/growth/damped-trend.ts";
import { daysToThreshold, deriveGrowth, fitGrowthModel, type GrowthFit } from "../../../src/domain/growth/fit.ts";

describe("dampedTrendMm", () => {
  it("uses only the last 2 sizes: (168,25) -> (224,28) is 3 / 56 mm/day, 0.4 of it over 56 days is +1.2 mm", () => {
    expect(dampedTrendMm([0, 56, 112, 168, 224], [10, 20, 22, 25, 28], 56)).toBeCloseTo(29.2, 9);
    // 112 days ahead: 28 + 0.4 * 3 / 56 * 112 = 30.4; a negative horizon carries nothing.
    expect(dampedTrendMm([0, 56, 112, 168, 224], [10, 20, 22, 25, 28], 112)).toBeCloseTo(30.4, 9);
    expect(dampedTrendMm([0, 56, 112, 168, 224], [10, 20, 22, 25, 28], -5)).toBe(28);
  });

  it("has no trend from scans on one day", () => {
    expect(dampedTrendMm([50, 50, 50, 50], [20, 22, 25, 28], 56)).toBeNull();
  });

  it("needs growth at each of the last 2 intervals, strictly", () => {
    expect(grewAtEachInterval([20, 22, 25, 28], 3)).toBe(true);
    expect(grewAtEachInterval([20, 22, 22, 28], 3)).toBe(false);
    expect(grewAtEachInterval([22, 25, 28], 3)).toBe(false);
    expect(dampedTrendMm([0, 56, 112], [30, 25, 28], 56)).toBeNull(); // down, then up
    expect(dampedTrendMm([0, 56, 112], [25, 28, 28], 56)).toBeNull(); // up, then flat
    expect(dampedTrendMm([0, 56], [25, 28], 56)).toBeNull(); // one interval only
    expect(dampedTrendMm([0, 56, 112], [22, 25, 28], 56)).toBeCloseTo(29.2, 9);
  });
});

describe("fitGrowthModel on a series that starts late", () => {
  // d(t) = 10 exp(g (t - 1000) / 3) from day 1000: the model's t = 0 is the first scan.
  const g = 0.006;
  const timesDays = [1000, 1030, 1060, 1090];
  const sizesMm = timesDays.map((t) => 10 * Math.exp((g * (t - 1000)) / 3));

  it("puts the model's origin at the first scan and predicts on the absolute day axis", () => {
    const fit = fitGrowthModel("exponential", { timesDays, sizesMm })!;
    expect(fit.originDays).toBe(1000);
    expect(fit.params.d0Mm).toBeCloseTo(10, 3);
    expect(fit.predictMm(1120)).toBeCloseTo(10 * Math.exp((g * 120) / 3), 2);
  });

  it("refuses series whose times and sizes differ in length", () => {
    expect(fitGrowthModel("exponential", { timesDays: [0, 56], sizesMm: [10, 12, 14] })).toBeNull();
  });
});

describe("daysToThreshold", () => {
  const line = (f: (t: number) => number): GrowthFit => ({ model: "exponential", params: {}, rmseMm: 0, iterations: 0, converged: true, originDays: 0, predictMm: f });
  const series = { timesDays: [0], sizesMm: [10] }; // nadir 10: threshold max(12, 15) = 15 mm

  it("bisects to 0.1 day: a size of 10 + t mm meets 15 mm at 5.03125 (the bracket 0..7 halved to 0.055)", () => {
    expect(daysToThreshold(line((t) => 10 + t), series, 7)).toBe(5.03125);
  });

  it("searches up to and including the last weekly step of the span", () => {
    expect(daysToThreshold(line((t) => 10 + t), series, 6)).toBeNull();
  });

  it("a size exactly at the threshold has met it", () => {
    expect(daysToThreshold(line(() => 15), series)).toBe(0);
  });
});

describe("deriveGrowth with two scans (too few for Stein-Fojo)", () => {
  it("falls back to the exponential fit for the rate, the doubling time and the time to progression", () => {
    // 10 -> 12 mm in 56 days: volume rate g = 3 ln(1.2) / 56; threshold 15 mm.
    const d = deriveGrowth({ timesDays: [0, 56], sizesMm: [10, 12] });
    const g = (3 * Math.log(1.2)) / 56;
    expect(d.decayRatePerDay).toBeNull();
    expect(d.growthRatePerDay).toBeCloseTo(g, 6);
    expect(d.doublingTimeDays).toBeCloseTo(Math.LN2 / g, 2);
    // 10 exp(g t / 3) = 15 at t = 3 ln 1.5 / g = 124.6 days, i.e. 68.6 days after the last scan
    expect(d.daysToProgression).toBeCloseTo((3 * Math.log(1.5)) / g - 56, 0);
  });

  it("a shrinking pair has no doubling time", () => {
    const d = deriveGrowth({ timesDays: [0, 56], sizesMm: [12, 10] });
    expect(d.growthRatePerDay).toBeLessThan(0);
    expect(d.doublingTimeDays).toBeNull();
  });
});
