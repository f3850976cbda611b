import { describe, expect, it } from "vitest";
import {
  checkEmbeddingDimensions,
  cosineDistance,
  firstDimensionMismatch,
  logSizeRatio,
  pairCost,
  positionTerm,
} from "../../../src/domain/matching/cost.ts";
import type { CostConfig } from "../../../src/domain/matching/weights.ts";
import { obs } from "./helpers.ts";

/** Weights chosen so every term of a pair cost can be told apart in a sum. */
const CFG: CostConfig = {
  positionScaleMm: 10,
  positionSizeFactor: 0.5,
  sizeWeight: 2,
  embeddingWeight: 3,
  typeMismatch: 5,
  organMismatch: 7,
  nodalMismatch: 11,
  skipPenalty: 13,
  missingPositionCost: 17,
  bodySizeMm: [100, 200, 400],
};
const NO_SHIFT = { shiftMm: [0, 0, 0] as const, skippedStudies: 0 };

describe("positionTerm", () => {
  it("divides the aligned distance by scale + factor x mean long axis", () => {
    // Long axes 10 and 30: mean 20, tolerance 10 + 0.5 * 20 = 20. Offset (30, 40, 0): 50 mm -> 2.5.
    const a = obs("a", [0, 0, 0], 10);
    const b = obs("b", [30, 40, 0], 30);
    expect(positionTerm(a, b, NO_SHIFT, CFG)).toBeCloseTo(2.5, 12);
    // With shift (30, 0, 0) the residual is (0, 40, 0): 40 / 20 = 2.
    expect(positionTerm(a, b, { shiftMm: [30, 0, 0], skippedStudies: 0 }, CFG)).toBeCloseTo(2, 12);
  });

  it("scales normalised coordinates by the body size per axis and ignores the shift", () => {
    // d = (0.25, 0.125, 0.0625) x (100, 200, 400) = (25, 25, 25) mm; |d| = 25 sqrt 3; tolerance 20.
    const a = obs("a", [0, 0, 0], 10, { positionNormalized: [0.25, 0.25, 0.25] });
    const b = obs("b", [500, 0, 0], 30, { positionNormalized: [0.5, 0.375, 0.3125] });
    const want = (25 * Math.sqrt(3)) / 20;
    expect(positionTerm(a, b, NO_SHIFT, CFG)).toBeCloseTo(want, 12);
    expect(positionTerm(a, b, { shiftMm: [100, 100, 100], skippedStudies: 0 }, CFG)).toBeCloseTo(want, 12);
  });

  it("weights each normalised axis by its own body extent", () => {
    // Unit move along one axis only: 0.5 x extent / tolerance 20 (long axes 10 and 30).
    const base = obs("a", [0, 0, 0], 10, { positionNormalized: [0.25, 0.25, 0.25] });
    const moved = (p: [number, number, number]) => obs("b", [0, 0, 0], 30, { positionNormalized: p });
    expect(positionTerm(base, moved([0.75, 0.25, 0.25]), NO_SHIFT, CFG)).toBeCloseTo(50 / 20, 12);
    expect(positionTerm(base, moved([0.25, 0.75, 0.25]), NO_SHIFT, CFG)).toBeCloseTo(100 / 20, 12);
    expect(positionTerm(base, moved([0.25, 0.25, 0.75]), NO_SHIFT, CFG)).toBeCloseTo(200 / 20, 12);
  });

  it("falls back to mm positions when only one side is normalised", () => {
    // |(0, 0, 20)| / (10 + 0.5 * 10) = 20 / 15.
    const a = obs("a", [0, 0, 0], 10, { positionNormalized: [0.1, 0.1, 0.1] });
    const b = obs("b", [0, 0, 20], 10);
    expect(positionTerm(a, b, NO_SHIFT, CFG)).toBeCloseTo(20 / 15, 12);
    expect(positionTerm(b, a, NO_SHIFT, CFG)).toBeCloseTo(20 / 15, 12);
  });

  it("uses the missing-position cost when either side has no comparable position", () => {
    const a = obs("a", [0, 0, 0], 10);
    const none = obs("n", [0, 0, 0], 10, { positionMm: null });
    expect(positionTerm(a, none, NO_SHIFT, CFG)).toBe(17);
    expect(positionTerm(none, a, NO_SHIFT, CFG)).toBe(17);
    expect(positionTerm(none, none, NO_SHIFT, CFG)).toBe(17);
  });
});

describe("logSizeRatio", () => {
  it("is |log(long_a / long_b)|, symmetric", () => {
    expect(logSizeRatio(obs("a", [0, 0, 0], 10), obs("b", [0, 0, 0], 40))).toBeCloseTo(Math.log(4), 12);
    expect(logSizeRatio(obs("a", [0, 0, 0], 40), obs("b", [0, 0, 0], 10))).toBeCloseTo(Math.log(4), 12);
  });

  it("is 0 when either size is zero or negative", () => {
    const o = (s: number) => obs("x", [0, 0, 0], s);
    expect(logSizeRatio(o(0), o(10))).toBe(0);
    expect(logSizeRatio(o(10), o(0))).toBe(0);
    expect(logSizeRatio(o(-5), o(10))).toBe(0);
    expect(logSizeRatio(o(10), o(-5))).toBe(0);
    expect(logSizeRatio(o(0), o(0))).toBe(0);
  });
});

describe("cosineDistance", () => {
  it("is 1 - cos of the angle", () => {
    // cos 45° = 1 / sqrt 2.
    expect(cosineDistance([1, 0], [1, 1])).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(cosineDistance([1, 0], [-2, 0])).toBeCloseTo(2, 12);
  });

  it("is null for missing, empty, zero or unequal-length vectors", () => {
    expect(cosineDistance(null, [1, 0])).toBeNull();
    expect(cosineDistance([1, 0], undefined)).toBeNull();
    expect(cosineDistance(null, null)).toBeNull();
    expect(cosineDistance([], [])).toBeNull();
    expect(cosineDistance([0, 0], [1, 0])).toBeNull();
    expect(cosineDistance([1, 0], [0, 0])).toBeNull();
    expect(cosineDistance([1, 0, 0], [1, 0])).toBeNull();
  });
});

describe("embedding dimension checks", () => {
  it("lists the distinct dimensions in increasing order in the message", () => {
    const r = checkEmbeddingDimensions([
      obs("x", [0, 0, 0], 5, { embedding: [1, 2, 3, 4, 5] }),
      obs("y", [0, 0, 0], 5, { embedding: [1, 2] }),
      obs("z", [0, 0, 0], 5, { embedding: [1, 2, 3] }),
      obs("w", [0, 0, 0], 5, { embedding: [9, 9] }),
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe("embeddings have different dimensions: 2, 3, 5");
  });

  it("orders two-digit dimensions numerically, not as text", () => {
    const r = checkEmbeddingDimensions([
      obs("x", [0, 0, 0], 5, { embedding: new Array<number>(10).fill(1) }),
      obs("y", [0, 0, 0], 5, { embedding: new Array<number>(9).fill(1) }),
    ]);
    if (r.ok) throw new Error("expected a mismatch");
    expect(r.error.message).toBe("embeddings have different dimensions: 9, 10");
  });

  it("finds no mismatch when trailing entries are absent", () => {
    expect(firstDimensionMismatch([[1, 2], null, undefined])).toBeNull();
  });
});

describe("pairCost", () => {
  const a = obs("a", [0, 0, 0], 10);
  const b = obs("b", [30, 40, 0], 30); // position 2.5 (see positionTerm), size 2 ln 3

  it("adds the weighted terms: position, size, embedding, categories and skipped studies", () => {
    const x = { ...a, lesionType: "mass", organ: "liver", nodal: false, embedding: [1, 0] };
    const y = { ...b, lesionType: "cyst", organ: "lung", nodal: true, embedding: [1, 1] };
    const c = pairCost(x, y, { shiftMm: [0, 0, 0], skippedStudies: 2 }, CFG);
    expect(c.position).toBeCloseTo(2.5, 12);
    expect(c.size).toBeCloseTo(2 * Math.log(3), 12);
    expect(c.embedding).toBeCloseTo(3 * (1 - Math.SQRT1_2), 12);
    expect(c.category).toBe(5 + 7 + 11);
    expect(c.skip).toBe(26);
    expect(c.total).toBeCloseTo(2.5 + 2 * Math.log(3) + 3 * (1 - Math.SQRT1_2) + 23 + 26, 10);
  });

  it("charges a type or organ mismatch only when both sides name one and they differ", () => {
    const cat = (x: Partial<typeof a>, y: Partial<typeof a>) => pairCost({ ...a, ...x }, { ...b, ...y }, NO_SHIFT, CFG).category;
    expect(cat({ lesionType: "mass" }, { lesionType: "mass" })).toBe(0);
    expect(cat({ lesionType: "mass" }, { lesionType: "node" })).toBe(5);
    expect(cat({ lesionType: "mass" }, { lesionType: null })).toBe(0);
    expect(cat({ lesionType: null }, { lesionType: "mass" })).toBe(0);
    expect(cat({}, {})).toBe(0);
    expect(cat({ organ: "liver" }, { organ: "liver" })).toBe(0);
    expect(cat({ organ: "liver" }, { organ: "lung" })).toBe(7);
    expect(cat({ organ: "liver" }, {})).toBe(0);
    expect(cat({}, { organ: "lung" })).toBe(0);
    expect(cat({ organ: "" }, { organ: "lung" })).toBe(0);
  });

  it("charges a nodal mismatch only when the flags differ", () => {
    const cat = (p: boolean, q: boolean) => pairCost({ ...a, nodal: p }, { ...b, nodal: q }, NO_SHIFT, CFG).category;
    expect(cat(true, true)).toBe(0);
    expect(cat(false, false)).toBe(0);
    expect(cat(true, false)).toBe(11);
    expect(cat(false, true)).toBe(11);
  });

  it("charges no embedding term when an embedding is missing, and none for negative skips", () => {
    const c = pairCost({ ...a, embedding: [1, 0] }, b, { shiftMm: [0, 0, 0], skippedStudies: -3 }, CFG);
    expect(c.embedding).toBe(0);
    expect(c.skip).toBe(0);
    expect(c.total).toBeCloseTo(2.5 + 2 * Math.log(3), 12);
  });

  it("makes the total the sum of its parts", () => {
    const c = pairCost({ ...a, organ: "liver" }, { ...b, organ: "lung" }, { shiftMm: [0, 0, 0], skippedStudies: 1 }, CFG);
    expect(c.total).toBeCloseTo(c.position + c.size + c.embedding + c.category + c.skip, 12);
    expect(c.total).toBeCloseTo(2.5 + 2 * Math.log(3) + 7 + 13, 12);
  });
});
