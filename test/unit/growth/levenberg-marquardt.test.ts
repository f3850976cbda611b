import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { levenbergMarquardt, solveLinear } from "../../../src/domain/growth/levenberg-marquardt.ts";

describe("solveLinear", () => {
  it("solves diagonally dominant systems (A x = b holds)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 9, maxLength: 9 }), fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 3, maxLength: 3 }), (flat, b) => {
        const a = [0, 1, 2].map((i) => [0, 1, 2].map((j) => flat[3 * i + j]! + (i === j ? 20 : 0)));
        const x = solveLinear(a, b)!;
        a.forEach((row, i) => expect(row.reduce((s, v, j) => s + v * x[j]!, 0)).toBeCloseTo(b[i]!, 8));
      }),
    );
  });
  it("pivots: a zero or tiny diagonal is solved through a row swap (diagonal dominance never needs one)", () => {
    expect(solveLinear([[0, 1], [1, 0]], [2, 3])).toEqual([3, 2]);
    // Without partial pivoting 1e-20 becomes the pivot and x0 is lost to rounding (gives 0, not 1).
    const [x0, x1] = solveLinear([[1e-20, 1], [1, 1]], [1, 2])!;
    expect(x0).toBeCloseTo(1, 12);
    expect(x1).toBeCloseTo(1, 12);
    // A 3 x 3 system with a zero first pivot: A [1, 2, 3] = [7, 6, 4].
    solveLinear([[0, 2, 1], [1, 1, 1], [2, 1, 0]], [7, 6, 4])!.forEach((v, i) => expect(v).toBeCloseTo(i + 1, 12));
  });
  it("returns null for a singular matrix", () => {
    expect(solveLinear([[1, 2], [2, 4]], [1, 2])).toBeNull();
  });
});

describe("levenbergMarquardt", () => {
  it("recovers a and k of a exp(-k x) from exact data and reports convergence", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 0.5, noNaN: true }), (a, k) => {
        const x = [0, 1, 2, 4, 6, 9];
        const y = x.map((t) => a * Math.exp(-k * t));
        const r = levenbergMarquardt((p, t) => p[0]! * Math.exp(-p[1]! * t), x, y, [1, 0.1], { min: [0, 0], max: [100, 1] });
        expect(r.converged).toBe(true);
        expect(r.params[0]).toBeCloseTo(a, 3);
        expect(r.params[1]).toBeCloseTo(k, 4);
        expect(r.sse).toBeLessThan(1e-6);
      }),
      { numRuns: 30 },
    );
  });
  it("keeps parameters inside the bounds", () => {
    const x = [0, 1, 2, 3];
    const y = x.map((t) => 2 * t);
    const r = levenbergMarquardt((p, t) => p[0]! * t, x, y, [0.5], { min: [0], max: [1] });
    expect(r.params[0]).toBeLessThanOrEqual(1);
    expect(r.params[0]).toBeCloseTo(1, 6);
  });
  it("stops at maxIterations and then says not converged", () => {
    const x = [0, 1, 2, 3, 4];
    const y = x.map((t) => 10 * Math.exp(0.3 * t));
    const r = levenbergMarquardt((p, t) => p[0]! * Math.exp(p[1]! * t), x, y, [1, 0], { min: [0, -1], max: [100, 1], maxIterations: 1 });
    expect(r.iterations).toBe(1);
    expect(r.converged).toBe(false);
  });
});
