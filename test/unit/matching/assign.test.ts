import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignWithGate, solveRectangular } from "../../../src/domain/matching/assign.ts";

/** Minimum total over all partial one-to-one assignments, by enumeration (small sizes only). */
function bruteForce(cost: number[][], gate: number, rowGates?: number[], colGates?: number[]): number {
  const n = cost.length;
  const m = cost[0]?.length ?? 0;
  const rg = rowGates ?? new Array<number>(n).fill(gate / 2);
  const cg = colGates ?? new Array<number>(m).fill(gate / 2);
  const usedCols = new Array<boolean>(m).fill(false);
  const rec = (i: number): number => {
    if (i === n) return usedCols.reduce((s, u, j) => s + (u ? 0 : cg[j]!), 0);
    let best = rg[i]! + rec(i + 1);
    for (let j = 0; j < m; j++) {
      if (usedCols[j] || !Number.isFinite(cost[i]![j]!)) continue;
      usedCols[j] = true;
      best = Math.min(best, cost[i]![j]! + rec(i + 1));
      usedCols[j] = false;
    }
    return best;
  };
  return rec(0);
}

const matrix = (maxN: number) =>
  fc.tuple(fc.integer({ min: 1, max: maxN }), fc.integer({ min: 1, max: maxN })).chain(([n, m]) =>
    fc.array(fc.array(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), fc.constant(Infinity)), { minLength: m, maxLength: m }), { minLength: n, maxLength: n }),
  );

describe("assignWithGate", () => {
  it("reaches the brute-force optimum of the partial assignment with a no-partner cost", () => {
    fc.assert(
      fc.property(matrix(5), fc.double({ min: 0.1, max: 12, noNaN: true }), (cost, gate) => {
        const pairs = assignWithGate(cost, gate / 2, gate / 2);
        const n = cost.length;
        const m = cost[0]!.length;
        const total = pairs.reduce((s, p) => s + p.cost, 0) + (n + m - 2 * pairs.length) * (gate / 2);
        expect(total).toBeCloseTo(bruteForce(cost, gate), 6);
        expect(new Set(pairs.map((p) => p.row)).size).toBe(pairs.length);
        expect(new Set(pairs.map((p) => p.col)).size).toBe(pairs.length);
        for (const p of pairs) expect(Number.isFinite(cost[p.row]![p.col]!)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("reaches the brute-force optimum with a different no-partner cost per row and column", () => {
    fc.assert(
      fc.property(matrix(4), fc.array(fc.double({ min: 0, max: 6, noNaN: true }), { minLength: 8, maxLength: 8 }), (cost, gates) => {
        const n = cost.length;
        const m = cost[0]!.length;
        const rg = gates.slice(0, n);
        const cg = gates.slice(4, 4 + m);
        const pairs = assignWithGate(cost, rg, cg);
        const rows = new Set(pairs.map((p) => p.row));
        const cols = new Set(pairs.map((p) => p.col));
        const total = pairs.reduce((s, p) => s + p.cost, 0) + rg.reduce((s, g, i) => s + (rows.has(i) ? 0 : g), 0) + cg.reduce((s, g, j) => s + (cols.has(j) ? 0 : g), 0);
        expect(total).toBeCloseTo(bruteForce(cost, 0, rg, cg), 6);
      }),
      { numRuns: 300 },
    );
  });

  it("never uses a pair costing more than leaving both lesions unmatched", () => {
    const pairs = assignWithGate([[3, 9], [9, 0.5]], 1, 1);
    expect(pairs).toEqual([{ row: 1, col: 1, cost: 0.5 }]);
  });

  it("returns nothing for an empty side", () => {
    expect(assignWithGate([], 1, 1)).toEqual([]);
    expect(assignWithGate([[]], 1, 1)).toEqual([]);
  });
});

describe("solveRectangular", () => {
  it("matches the brute-force minimum of full row assignments", () => {
    fc.assert(
      fc.property(matrix(5), (raw) => {
        const cost = raw.map((r) => r.map((v) => (Number.isFinite(v) ? v : 50)));
        const rows = cost.length <= cost[0]!.length ? cost : cost[0]!.map((_, j) => cost.map((r) => r[j]!));
        const sol = solveRectangular(rows);
        const total = sol.reduce((s, j, i) => s + rows[i]![j]!, 0);
        expect(new Set(sol).size).toBe(rows.length);
        // With a gate larger than any cost the partial optimum is the full one.
        const full = bruteForce(rows, 1e6) - (rows[0]!.length - rows.length) * 5e5;
        expect(total).toBeCloseTo(full, 6);
      }),
      { numRuns: 200 },
    );
  });

  it("rejects more rows than columns", () => {
    expect(() => solveRectangular([[1], [2]])).toThrow(RangeError);
  });
});
