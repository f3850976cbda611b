import { describe, expect, it } from "vitest";
import { FORBIDDEN_COST, assignWithGate, solveRectangular } from "../../../src/domain/matching/assign.ts";

describe("solveRectangular (edge cases)", () => {
  it("returns an empty assignment for a matrix without rows", () => {
    expect(solveRectangular([])).toEqual([]);
  });

  it("says which shape it got when there are more rows than columns", () => {
    expect(() => solveRectangular([[1], [2]])).toThrow("solveRectangular needs rows <= columns (got 2 x 1)");
  });

  it("returns exactly one column per row and nothing for the columns left over", () => {
    // 1 x 3: the cheapest column is 1 (cost 0.5); the two unused columns add no entries.
    const sol = solveRectangular([[2, 0.5, 3]]);
    expect(sol).toEqual([1]);
    expect(Object.keys(sol)).toEqual(["0"]);
    // 2 x 4: rows take columns 3 and 0 (total 1 + 1 = 2, every other choice costs more).
    const wide = solveRectangular([
      [5, 5, 5, 1],
      [1, 5, 5, 5],
    ]);
    expect(wide).toEqual([3, 0]);
    expect(Object.keys(wide)).toEqual(["0", "1"]);
  });
});

describe("assignWithGate (forbidden pairs)", () => {
  it("never returns a forbidden pair, even when leaving its row unmatched costs more than FORBIDDEN_COST", () => {
    // The solver may park the row on the forbidden column (1e12 < 2e12), but that is no pair.
    expect(assignWithGate([[Infinity]], 2e12, 0)).toEqual([]);
    expect(assignWithGate([[FORBIDDEN_COST]], 2e12, 0)).toEqual([]);
  });

  it("treats a cost of exactly FORBIDDEN_COST as forbidden when choosing the assignment", () => {
    // Row 0 may pair with column 1 (cost 0) or stay unmatched (0); column 0 cannot be paired
    // (cost = FORBIDDEN_COST) and costs 1e12 + 10 unmatched whatever happens. Totals:
    //   pair (0,1): 0 + col 0 unmatched (1e12 + 10)                      = 1e12 + 10
    //   nothing:    row 0 (0) + col 0 (1e12 + 10) + col 1 (1)              = 1e12 + 11
    // so the only optimum uses (0,1); the forbidden cell must not look cheaper than that.
    expect(assignWithGate([[FORBIDDEN_COST, 0]], 0, [1e12 + 10, 1])).toEqual([{ row: 0, col: 1, cost: 0 }]);
  });
});
