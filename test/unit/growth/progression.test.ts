import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalCdf, probabilityAtLeast, progressionProbability, recistProgressionThresholdMm } from "../../../src/domain/growth/progression.ts";
import { logSize } from "../../../src/domain/growth/features.ts";

describe("RECIST threshold", () => {
  it("is +5 mm for small nadirs and +20 % for large ones", () => {
    expect(recistProgressionThresholdMm(10)).toBe(15);
    expect(recistProgressionThresholdMm(50)).toBe(60);
    expect(recistProgressionThresholdMm(0)).toBe(5);
  });
});

describe("probabilities", () => {
  it("normalCdf matches known values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.281552)).toBeCloseTo(0.1, 6);
  });
  it("P(Y >= q50) = 0.5, P(Y >= q90) = 0.1, P(Y >= q10) = 0.9, and P falls as t rises", () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0.02, max: 1, noNaN: true }), fc.double({ min: 0.02, max: 1, noNaN: true }), (m, lo, hi) => {
        const q = { q10: m - lo, q50: m, q90: m + hi };
        expect(probabilityAtLeast(q, m)).toBeCloseTo(0.5, 6);
        expect(probabilityAtLeast(q, q.q90)).toBeCloseTo(0.1, 5);
        expect(probabilityAtLeast(q, q.q10)).toBeCloseTo(0.9, 5);
        expect(probabilityAtLeast(q, m + 0.3 * hi)).toBeGreaterThan(probabilityAtLeast(q, m + 0.6 * hi));
      }),
    );
  });
  it("a lesion already over the threshold with a 'no change' forecast is more likely PD than not", () => {
    const q = { q10: -0.1, q50: 0, q90: 0.1 };
    expect(progressionProbability(q, 20, 10)).toBeGreaterThan(0.5);
    expect(progressionProbability(q, 10, 10)).toBeLessThan(0.01);
    // threshold exactly at the median
    expect(probabilityAtLeast(q, logSize(15) - logSize(15))).toBeCloseTo(0.5, 6);
  });
});
