import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FEATURE_COUNT, growthFeatures, logSize } from "../../../src/domain/growth/features.ts";
import { evaluateQuantileModel } from "../../../src/domain/growth/quantile-model.ts";
import type { GrowthRow } from "../../../src/train/data.ts";
import { benchCases, errorSummary, locfForecasts } from "../../../src/train/evaluate.ts";
import { fitCalibratedModel, MIN_BIN_EXAMPLES } from "../../../src/train/calibrate.ts";
import { fitQuantile, pinball } from "../../../src/train/quantile-regression.ts";

/** Deterministic standard-normal draws (LCG + Box-Muller). */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

describe("fitQuantile", () => {
  it("recovers the conditional quantiles of y = 1 + 2x + e, e ~ N(0, 1)", () => {
    const z = normals(7);
    const x = Array.from({ length: 10000 }, (_, i) => [(i % 100) / 50 - 1]);
    const y = x.map(([v]) => 1 + 2 * v! + z());
    for (const [tau, zq] of [[0.1, -1.2816], [0.5, 0], [0.9, 1.2816]] as const) {
      const fit = fitQuantile(x, y, { tau, lambda: 0 });
      expect(fit.converged).toBe(true);
      // standard errors at n = 10,000 are about 0.03; allow 4 of them
      expect(Math.abs(fit.intercept - (1 + zq))).toBeLessThan(0.12);
      expect(Math.abs(fit.weights[0]! - 2)).toBeLessThan(0.12);
    }
  });
  it("a strong ridge with a penalised intercept shrinks the head to 0", () => {
    const x = [[1], [2], [3], [4]];
    const y = [1, 2, 3, 4];
    const fit = fitQuantile(x, y, { tau: 0.5, lambda: 1e6, penalizeIntercept: true });
    expect(Math.abs(fit.intercept)).toBeLessThan(1e-3);
    expect(Math.abs(fit.weights[0]!)).toBeLessThan(1e-3);
  });
  it("pinball loss is the check function", () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (r, tau) => {
        expect(pinball(r, tau)).toBeCloseTo(r * (tau - (r < 0 ? 1 : 0)), 10);
        expect(pinball(r, tau)).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

/** Synthetic rows: lesions that shrink then regrow at a per-row rate, with integer mm readings. */
function syntheticRows(n: number, seed: number): GrowthRow[] {
  const z = normals(seed);
  return Array.from({ length: n }, (_, i) => {
    const readings = 3 + (i % 6);
    const weeks = Array.from({ length: readings }, (_, k) => (k === 0 ? 0.1 : 6 * k));
    const rate = 0.01 * z();
    const d0 = 20 + 5 * Math.abs(z());
    const diamMm = weeks.map((w) => Math.max(0, Math.round(d0 * Math.exp(rate * w) + z())));
    return {
      id: `row${i}`,
      study: 1 + (i % 3),
      weeks,
      timesDays: weeks.map((w) => w * 7),
      diamMm,
      normvol: diamMm.map((d) => (d / 228) ** 3),
    };
  });
}

describe("training (Mondrian calibration)", () => {
  const rows = syntheticRows(400, 3);
  it("is deterministic, orders the quantiles and records where each bin's quantiles came from", () => {
    const a = fitCalibratedModel(rows);
    const b = fitCalibratedModel([...rows].reverse());
    expect(a).toEqual(b);
    expect(a.params.weights).toHaveLength(FEATURE_COUNT);
    for (const bin of a.bins) {
      expect(bin.lo).toBeLessThanOrEqual(bin.hi);
      expect(bin.from === "bin").toBe(bin.n >= MIN_BIN_EXAMPLES);
    }
    const x = growthFeatures({ timesDays: [0, 42, 84], sizesMm: [20, 21, 21] }, 42);
    const q = evaluateQuantileModel(a.params, x);
    expect(q.q10).toBeLessThanOrEqual(q.q50);
    expect(q.q50).toBe(0); // no trend: the median is LOCF
    expect(q.q90).toBeGreaterThanOrEqual(q.q50);
  });
  it("a bin's interval holds 80 % of its own training residuals", () => {
    const fit = fitCalibratedModel(rows);
    let inside = 0;
    let total = 0;
    for (const r of rows) {
      for (let k = 2; k < r.diamMm.length; k++) {
        const history = { timesDays: r.timesDays.slice(0, k), sizesMm: r.diamMm.slice(0, k) };
        for (let j = k; j < Math.min(r.diamMm.length, k + 2); j++) {
          const q = evaluateQuantileModel(fit.params, growthFeatures(history, r.timesDays[j]! - r.timesDays[k - 1]!));
          const y = logSize(r.diamMm[j]!) - logSize(r.diamMm[k - 1]!);
          inside += y >= q.q10 - 1e-12 && y <= q.q90 + 1e-12 ? 1 : 0;
          total++;
        }
      }
    }
    expect(inside / total).toBeGreaterThan(0.78);
    expect(inside / total).toBeLessThan(0.86); // ties at whole mm put a little more than 80 % inside
  });
  it("holds out the last 2 of rows with >= 6 readings; LOCF error is computed per row", () => {
    const cases = benchCases(rows);
    expect(cases.every((c) => c.row.diamMm.length >= 6 && c.targets.length === 2)).toBe(true);
    const c = cases[0]!;
    expect(c.lastMm).toBe(c.row.diamMm[c.row.diamMm.length - 3]);
    const manual =
      cases.reduce((s, k) => s + k.targets.reduce((a, t) => a + Math.abs(t.truthMm - k.lastMm), 0) / 2, 0) / cases.length;
    expect(errorSummary(cases, locfForecasts(cases)).maeMm).toBeCloseTo(manual, 12);
  });
});
