import { describe, expect, it } from "vitest";
import { BASELINE_VERSION } from "../../../src/domain/growth/baseline.ts";
import { FEATURE_COUNT } from "../../../src/domain/growth/features.ts";
import { forecastSeries, logRatioToMm, type Forecast } from "../../../src/domain/growth/forecast.ts";
import { progressionProbability } from "../../../src/domain/growth/progression.ts";
import type { GrowthPredictor } from "../../../src/domain/growth/predictor.ts";
import { createBaselinePredictor } from "../../../src/forecast/baseline.ts";

/** A fake ONNX-kind predictor: +10 % at the median, counts its batches. */
function stubPredictor(): GrowthPredictor & { calls: number[] } {
  const calls: number[] = [];
  return {
    version: "stub-1",
    kind: "onnx",
    calls,
    predict: (rows) => {
      calls.push(rows.length);
      rows.forEach((r) => expect(r.length).toBe(FEATURE_COUNT));
      return Promise.resolve(rows.map(() => ({ q10: -0.2, q50: Math.log(1.1), q90: 0.4 })));
    },
  };
}

const track = { timesDays: [0, 42, 84], sizesMm: [30, 20, 25] };
const sum = { timesDays: [0, 42, 84], sizesMm: [80, 60, 66] };

describe("forecastSeries", () => {
  it("calls the predictor once for all series and horizons", async () => {
    const p = stubPredictor();
    const out = await forecastSeries([track, sum], [[42, 84], [42]], p);
    expect(p.calls).toEqual([3]);
    expect(out.map((f) => f.length)).toEqual([2, 1]);
    const f = out[0]![0]!;
    expect(f.method).toBe("model");
    expect(f.modelVersion).toBe("stub-1");
    expect(f.timeDays).toBe(126);
    expect(f.predMm).toBeCloseTo(logRatioToMm(Math.log(1.1), 25), 9);
    expect(f.q10Mm).toBeLessThanOrEqual(f.predMm);
    expect(f.q90Mm).toBeGreaterThanOrEqual(f.predMm);
    expect(f.baselines.locf).toBe(25);
    expect(f.pProgression).toBeGreaterThan(0);
    expect(f.pProgression).toBeLessThan(1);
  });
  it("computes the classical comparators and null when a model cannot be fitted", async () => {
    const out = await forecastSeries([track], [[30]], stubPredictor());
    const b = out[0]![0]!.baselines;
    expect(b.exponential).toEqual(expect.any(Number));
    expect(b.steinFojo).toEqual(expect.any(Number));
    expect(b.generalBertalanffy).toBeNull(); // 4 parameters, 3 points
  });
  it("single scan: LOCF with a wide interval, method baseline, and says so", async () => {
    const p = stubPredictor();
    const out = await forecastSeries([{ timesDays: [10], sizesMm: [18] }], [[90]], p);
    const one = out[0]![0]!;
    expect(p.calls).toEqual([]);
    expect(one.predMm).toBe(18);
    expect(one.method).toBe("baseline");
    expect(one.modelVersion).toBe(BASELINE_VERSION);
    expect(one.note).toMatch(/single scan/);
    expect(one.q90Mm - one.q10Mm).toBeGreaterThan(5);
  });
  it("with the baseline predictor every forecast says baseline", async () => {
    const out = await forecastSeries([track, sum], [[30], [60]], createBaselinePredictor());
    for (const f of out.flat()) {
      expect(f.method).toBe("baseline");
      expect(f.modelVersion).toBe(BASELINE_VERSION);
      expect(f.predMm).toBe(f.baselines.locf);
    }
  });
  it("handles zeros and empty series", async () => {
    const out = await forecastSeries([{ timesDays: [0, 30], sizesMm: [0, 0] }, { timesDays: [], sizesMm: [] }], [[30], [30]], createBaselinePredictor());
    expect(out[0]![0]!.predMm).toBe(0);
    expect(out[0]![0]!.q10Mm).toBe(0);
    expect(out[1]).toEqual([]);
  });
  it("baseline interval widens with the horizon", async () => {
    const out = await forecastSeries([track], [[30, 365]], createBaselinePredictor());
    const [near, far] = out[0]!;
    expect(far!.q90Mm - far!.q10Mm).toBeGreaterThan(near!.q90Mm - near!.q10Mm);
  });
});

describe("forecastSeries: which prediction, which calibration", () => {
  /** Row i of the batch gets a median of log(1 + 0.1 (i + 1)), so each forecast shows which row it used. */
  const indexed: GrowthPredictor = {
    version: "stub-2",
    kind: "onnx",
    predict: (rows) => Promise.resolve(rows.map((_, i) => ({ q10: -0.2, q50: Math.log(1 + 0.1 * (i + 1)), q90: 0.5 }))),
  };

  it("gives each series and horizon its own row of the batch, in order", async () => {
    const out = await forecastSeries([track, sum], [[42, 84], [42]], indexed);
    expect(out[0]!.map((f) => f.predMm)).toEqual([logRatioToMm(Math.log(1.1), 25), logRatioToMm(Math.log(1.2), 25)]);
    expect(out[1]![0]!.predMm).toBe(logRatioToMm(Math.log(1.3), 66));
  });

  it("two scans are enough for the model", async () => {
    const out = await forecastSeries([{ timesDays: [0, 42], sizesMm: [20, 25] }], [[42]], indexed);
    expect(out[0]![0]).toMatchObject({ method: "model", modelVersion: "stub-2", predMm: logRatioToMm(Math.log(1.1), 25) });
  });

  it("P(progression) is measured against the nadir (20 mm here, not the first 30 mm)", async () => {
    const [[f]] = (await forecastSeries([track], [[42]], indexed)) as [[Forecast]];
    expect(f.pProgression).toBe(progressionProbability({ q10: -0.2, q50: Math.log(1.1), q90: 0.5 }, 25, 20));
  });

  it("says which calibration it used: population, the cohort's (interval rescaled), or fallback", async () => {
    const population = (await forecastSeries([track], [[42]], indexed))[0]![0]!;
    expect(population.calibration).toEqual({ source: "population", scale: 1, scoredForecasts: 0 });
    const cohort = { source: "cohort" as const, scale: 2, scoredForecasts: 80 };
    const rescaled = (await forecastSeries([track], [[42]], indexed, { calibration: cohort }))[0]![0]!;
    expect(rescaled.calibration).toEqual(cohort);
    expect(rescaled.q90Mm).toBeCloseTo(logRatioToMm(Math.log(1.1) + 2 * (0.5 - Math.log(1.1)), 25), 9);
    expect(rescaled.q10Mm).toBeCloseTo(logRatioToMm(Math.log(1.1) - 2 * (Math.log(1.1) + 0.2), 25), 9);
    expect(rescaled.predMm).toBe(population.predMm);
    const baseline = (await forecastSeries([track], [[42]], createBaselinePredictor()))[0]![0]!;
    expect(baseline.calibration.source).toBe("fallback");
    const single = (await forecastSeries([{ timesDays: [0], sizesMm: [20] }], [[42]], indexed, { calibration: cohort }))[0]![0]!;
    expect(single.calibration.source).toBe("fallback");
  });
});
