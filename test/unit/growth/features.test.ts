import fc from "fast-check";
import { describe, expect, it } from "vitest";
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
  it("is finite, of FEATURE_COUNT, and inside its clipping ranges for any history", () => {
    fc.assert(
      fc.property(history, fc.double({ min: 0, max: 3000, noNaN: true }), (h, horizon) => {
        const x = growthFeatures(h, horizon);
        expect(x.length).toBe(FEATURE_COUNT);
        for (const v of x) expect(Number.isFinite(v)).toBe(true);
        expect(x[idx("horizon_years")]).toBeLessThanOrEqual(3);
        expect(Math.abs(x[idx("slope_last_x_horizon")]!)).toBeLessThanOrEqual(1);
        expect(x[idx("log_ratio_last_nadir")]).toBeGreaterThanOrEqual(0);
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
  it("computes the named features on a worked example", () => {
    const x = growthFeatures({ timesDays: [0, 42, 84], sizesMm: [30, 20, 25] }, 73.05);
    expect(x[idx("horizon_years")]).toBeCloseTo(0.2, 5);
    expect(x[idx("log_ratio_last_nadir")]).toBeCloseTo(Math.log(30 / 25), 5);
    expect(x[idx("log_ratio_last_baseline")]).toBeCloseTo(Math.log(30 / 35), 5);
    expect(x[idx("slope_last_x_horizon")]).toBeCloseTo((Math.log(30 / 25) / 42) * 73.05, 5);
    expect(x[idx("log_readings")]).toBeCloseTo(Math.log(3), 6);
    expect(x[idx("last_is_zero")]).toBe(0);
  });
  it("uses the given baseline and nadir over the history's own", () => {
    const own = growthFeatures({ timesDays: [0, 30], sizesMm: [20, 22] }, 30);
    const given = growthFeatures({ timesDays: [0, 30], sizesMm: [20, 22], baselineMm: 40, nadirMm: 10 }, 30);
    expect(given[idx("log_ratio_last_baseline")]).not.toBeCloseTo(own[idx("log_ratio_last_baseline")]!, 3);
    expect(given[idx("log_ratio_last_nadir")]).toBeCloseTo(logSize(22) - logSize(10), 5);
  });
  it("flags a last reading of 0 mm and keeps log sizes finite", () => {
    const x = growthFeatures({ timesDays: [0, 30], sizesMm: [12, 0] }, 60);
    expect(x[idx("last_is_zero")]).toBe(1);
    expect(logSize(0)).toBeCloseTo(Math.log(SIZE_OFFSET_MM), 12);
  });
  it("rejects an empty history", () => {
    expect(() => growthFeatures({ timesDays: [], sizesMm: [] }, 10)).toThrow();
  });
});
