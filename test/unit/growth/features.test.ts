import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BIN_NAMES, calibrationBin } from "../../../src/domain/growth/calibration-bins.ts";
import { dampedTrendMm, DAMPED_TREND, grewAtEachInterval } from "../../../src/domain/growth/damped-trend.ts";
import { FEATURE_COUNT, FEATURE_NAMES, growthFeatures, logSize, SIZE_OFFSET_MM } from "../../../src/domain/growth/features.ts";

const idx = (name: (typeof FEATURE_NAMES)[number]): number => FEATURE_NAMES.indexOf(name);

const history = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.oneof(fc.constant(0), fc.double({ min: 0, max: 250, noNaN: true }))), { minLength: 1, maxLength: 15 })
  .map((pts) => {
    let t = -30;
    const timesDays: number[] = [];
    const sizesMm: number[] = [];
    for (const [dt, s] of pts) {
      t += dt; // dt = 0 gives repeated scan times, as in 5 rows of the data
      timesDays.push(t);
      sizesMm.push(s);
    }
    return { timesDays, sizesMm };
  });

describe("growthFeatures", () => {
  it("is finite, of FEATURE_COUNT, with exactly one calibration bin set, for any history", () => {
    fc.assert(
      fc.property(history, fc.double({ min: 0, max: 3000, noNaN: true }), (h, horizon) => {
        const x = growthFeatures(h, horizon);
        expect(x.length).toBe(FEATURE_COUNT);
        for (const v of x) expect(Number.isFinite(v)).toBe(true);
        expect(x[idx("horizon_years")]).toBeLessThanOrEqual(3);
        expect(Array.from(x.subarray(2)).filter((v) => v === 1)).toHaveLength(1);
        expect(Array.from(x.subarray(2)).reduce((a, b) => a + b, 0)).toBe(1);
      }),
    );
  });
  it("does not depend on where the time axis starts", () => {
    fc.assert(
      fc.property(history, fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 400 }), (h, shift, horizon) => {
        const moved = { ...h, timesDays: h.timesDays.map((t) => t + shift) };
        const a = growthFeatures(h, horizon);
        const b = growthFeatures(moved, horizon);
        a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 4));
      }),
    );
  });
  it("puts a shrinking lesion at 8 weeks in h1_down and a growing one at 16 weeks in h2_up", () => {
    const down = growthFeatures({ timesDays: [0, 42, 84], sizesMm: [30, 25, 20] }, 56);
    expect(down[idx(`bin_h1_down` as (typeof FEATURE_NAMES)[number])]).toBe(1);
    const up = growthFeatures({ timesDays: [0, 42], sizesMm: [20, 24] }, 112);
    expect(up[2 + BIN_NAMES.indexOf("h2_up")]).toBe(1);
    expect(calibrationBin([20, 20.5], 300, SIZE_OFFSET_MM)).toEqual({ horizon: 2, change: 1, index: BIN_NAMES.indexOf("h3_stable") });
  });
  it("carries the damped trend only after 2 intervals of growth; else the median is LOCF (0)", () => {
    const grown = { timesDays: [0, 56, 112, 168], sizesMm: [20, 22, 25, 28] };
    const x = growthFeatures(grown, 56);
    // slope of the last 2 sizes (112,25) (168,28) is 3 / 56 mm/day
    expect(DAMPED_TREND).toEqual({ growingIntervals: 2, window: 2, damping: 0.4 });
    const want = 28 + 0.4 * (3 / 56) * 56;
    expect(dampedTrendMm(grown.timesDays, grown.sizesMm, 56)).toBeCloseTo(want, 9);
    expect(x[idx("trend_log_ratio")]).toBeCloseTo(logSize(want) - logSize(28), 6);
    expect(growthFeatures({ timesDays: [0, 56, 112, 168], sizesMm: [20, 22, 22, 28] }, 56)[idx("trend_log_ratio")]).toBe(0);
    expect(growthFeatures({ timesDays: [0, 56, 112, 168], sizesMm: [30, 22, 25, 28] }, 56)[idx("trend_log_ratio")]).toBeCloseTo(logSize(want) - logSize(28), 6);
    expect(grewAtEachInterval([1, 2, 3], 3)).toBe(false);
    expect(grewAtEachInterval([1, 2, 3, 4], 3)).toBe(true);
  });
  it("keeps log sizes of 0 mm finite", () => {
    expect(logSize(0)).toBeCloseTo(Math.log(SIZE_OFFSET_MM), 12);
  });
  it("rejects an empty history", () => {
    expect(() => growthFeatures({ timesDays: [], sizesMm: [] }, 10)).toThrow();
  });
});
