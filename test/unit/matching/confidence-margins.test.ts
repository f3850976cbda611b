import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupMargins, linkConfidence, pairMargin } from "../../../src/domain/matching/confidence.ts";

const sigma = (z: number): number => 1 / (1 + Math.exp(-z));

describe("pairMargin", () => {
  const cost = [
    [1, 5, 2],
    [4, 0.5, 7],
  ];

  it("is the cheapest alternative of the row or column (or the gate) minus the pair's own cost", () => {
    // (0,0): row alternatives 5, 2; column alternative 4; gate 10 -> alt 2, margin 2 - 1 = 1.
    expect(pairMargin(cost, 0, 0, 10)).toBe(1);
    // (1,1): row alternatives 4, 7; column alternative 5 -> alt 4, margin 4 - 0.5 = 3.5.
    expect(pairMargin(cost, 1, 1, 10)).toBe(3.5);
    // (0,2): row alternatives 1, 5; column alternative 7 -> alt 1, margin 1 - 2 = -1 (an alternative is cheaper).
    expect(pairMargin(cost, 0, 2, 10)).toBe(-1);
    // (1,0): row alternatives 0.5, 7 -> 0.5; column alternative 1 -> alt 0.5, margin 0.5 - 4 = -3.5.
    expect(pairMargin(cost, 1, 0, 10)).toBe(-3.5);
  });

  it("takes the column alternative when it is the cheapest", () => {
    // column alternative only: [[3, 9], [1, 9]] at (0,0): row alt 9, column alt 1 -> 1 - 3 = -2.
    expect(pairMargin([[3, 9], [1, 9]], 0, 0, 10)).toBe(-2);
  });

  it("is capped by the gate (no partner at all) when every alternative is dearer", () => {
    // (1,1) with gate 2: alternatives 4, 7, 5 all above 2 -> 2 - 0.5 = 1.5.
    expect(pairMargin(cost, 1, 1, 2)).toBe(1.5);
    // a single cell has only the gate as alternative: 3 - 1 = 2.
    expect(pairMargin([[1]], 0, 0, 3)).toBe(2);
  });
});

describe("groupMargins", () => {
  it("returns nothing for an empty matrix", () => {
    expect(groupMargins([], 3)).toEqual(new Float64Array(0));
  });

  it("gives the hand-worked margins of a small matrix (row-major)", () => {
    const cost = [
      [1, 5, 2],
      [4, 0.5, 7],
    ];
    // gate 10; per cell alt = min(gate, other cells of the row, other cells of the column):
    // (0,0): min(5,2,4)=2 -> 1      (0,1): min(1,2,0.5)=0.5 -> -4.5   (0,2): min(1,5,7)=1 -> -1
    // (1,0): min(0.5,7,1)=0.5 -> -3.5  (1,1): min(4,7,5)=4 -> 3.5     (1,2): min(4,0.5,2)=0.5 -> -6.5
    expect([...groupMargins(cost, 10)]).toEqual([1, -4.5, -1, -3.5, 3.5, -6.5]);
  });

  it("uses the second smallest of a row when the cell itself is the row minimum", () => {
    // Row [1, 2, 5], gate 10: (0,0) is the minimum, the second smallest is 2 -> 2 - 1 = 1;
    // the others see the minimum 1: (0,1) 1 - 2 = -1, (0,2) 1 - 5 = -4.
    expect([...groupMargins([[1, 2, 5]], 10)]).toEqual([1, -1, -4]);
    // Same along a column.
    expect([...groupMargins([[1], [2], [5]], 10)]).toEqual([1, -1, -4]);
    // A later smaller value pushes the former minimum to second place: [3, 1, 2] -> (0,1): 2 - 1 = 1.
    expect([...groupMargins([[3, 1, 2]], 10)]).toEqual([-2, 1, -1]);
  });

  it("gives a tied minimum a margin of 0", () => {
    expect([...groupMargins([[1, 1, 4]], 10)]).toEqual([0, 0, -3]);
  });

  it("equals pairMargin in every cell (property)", () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ min: 0, max: 8, noNaN: true }));
    const matrix = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
      .chain(([n, m]) => fc.array(fc.array(value, { minLength: m, maxLength: m }), { minLength: n, maxLength: n }));
    fc.assert(
      fc.property(matrix, fc.integer({ min: 1, max: 10 }), (cost, gate) => {
        const out = groupMargins(cost, gate);
        const m = cost[0]!.length;
        expect(out.length).toBe(cost.length * m);
        for (let i = 0; i < cost.length; i++) {
          for (let j = 0; j < m; j++) expect(out[i * m + j]).toBe(pairMargin(cost, i, j, gate));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("linkConfidence", () => {
  it("is the logistic of intercept + costSlope * cost + marginSlope * margin", () => {
    // z = 0.5 + 2 * 2 + 3 * 0.5 = 6
    expect(linkConfidence(2, 0.5, { intercept: 0.5, costSlope: 2, marginSlope: 3 })).toBeCloseTo(sigma(6), 12);
    // z = -1 + (-0.5) * 4 + 1 * 3 = 0 -> 1/2
    expect(linkConfidence(4, 3, { intercept: -1, costSlope: -0.5, marginSlope: 1 })).toBeCloseTo(0.5, 12);
  });
});
