import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, type Vec3 } from "../../../src/domain/geometry.ts";
import { checkEmbeddingDimensions, cosineDistance, firstDimensionMismatch } from "../../../src/domain/matching/cost.ts";
import { matchStudyPair } from "../../../src/domain/matching/match.ts";
import { obs, rng, separatedPoints } from "./helpers.ts";

const vec = (max: number) => fc.tuple(fc.double({ min: -max, max, noNaN: true }), fc.double({ min: -max, max, noNaN: true }), fc.double({ min: -max, max, noNaN: true }));
const sorted = (pairs: { a: string; b: string }[]): string[] => pairs.map((p) => `${p.a}>${p.b}`).sort();

describe("matchStudyPair", () => {
  it("gives the same pairs when one study is moved by a common translation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 3, max: 7 }), vec(200), (seed, n, shift) => {
        const rand = rng(seed);
        const pts = separatedPoints(rand, n, 70, [120, 100, 250]);
        const sizes = pts.map(() => 8 + rand() * 30);
        const a = pts.map((p, i) => obs(`a${i}`, p, sizes[i]!));
        const bBase = pts.map((p, i) => obs(`b${i}`, add(p, [rand() * 6 - 3, rand() * 6 - 3, rand() * 6 - 3]), sizes[i]! * (0.9 + rand() * 0.2)));
        const bMoved = bBase.map((o) => ({ ...o, positionMm: add(o.positionMm!, shift as Vec3) }));
        const base = matchStudyPair(a, bBase);
        const moved = matchStudyPair(a, bMoved);
        expect(sorted(moved.pairs)).toEqual(sorted(base.pairs));
        expect(sorted(moved.pairs)).toEqual(pts.map((_, i) => `a${i}>b${i}`).sort());
        // Shifts agree up to the ±3 mm measurement noise (the prior may pick "no shift" for one of them).
        for (let k = 0; k < 3; k++) expect(Math.abs(moved.alignment.shiftMm[k]! - base.alignment.shiftMm[k]! - shift[k]!)).toBeLessThan(3);
        expect(moved.alignment.ambiguous).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it("recovers the right pairs from embeddings when positions carry no identity", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 3, max: 6 }), (seed, n) => {
        const rand = rng(seed);
        const dim = 16;
        // Each lesion has its own direction; positions of both studies are independent draws in one 20 mm cube.
        const emb = Array.from({ length: n }, (_, i) => Array.from({ length: dim }, (_, d) => (d === i ? 1 : 0) + (rand() - 0.5) * 0.1));
        const cube = (): Vec3 => [rand() * 20, rand() * 20, rand() * 20];
        const a = emb.map((e, i) => obs(`a${i}`, cube(), 15, { embedding: e }));
        const perm = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5);
        const b = perm.map((i) => obs(`b${i}`, cube(), 15, { embedding: emb[i]!.map((x) => x + (rand() - 0.5) * 0.1) }));
        expect(sorted(matchStudyPair(a, b).pairs)).toEqual(Array.from({ length: n }, (_, i) => `a${i}>b${i}`).sort());
      }),
      { numRuns: 100 },
    );
  });

  it("ignores embeddings of different lengths instead of failing", () => {
    const a = [obs("a0", [0, 0, 0], 10, { embedding: [1, 0] })];
    const b = [obs("b0", [1, 0, 0], 10, { embedding: [1, 0, 0] })];
    expect(matchStudyPair(a, b).pairs.map((p) => p.b)).toEqual(["b0"]);
  });

  it("compares normalised body coordinates directly, without a shift", () => {
    const n = (id: string, p: Vec3) => obs(id, [0, 0, 0], 12, { positionMm: null, positionNormalized: p });
    const a = [n("a0", [0.2, 0.5, 0.3]), n("a1", [0.8, 0.5, 0.6])];
    const b = [n("b0", [0.21, 0.5, 0.31]), n("b1", [0.79, 0.52, 0.6]), n("b2", [0.5, 0.1, 0.95])];
    const r = matchStudyPair(a, b);
    expect(sorted(r.pairs)).toEqual(["a0>b0", "a1>b1"]);
    expect(r.alignment.shiftMm).toEqual([0, 0, 0]);
  });

  it("leaves a lesion unmatched when no partner is plausible, with confidences in [0, 1]", () => {
    const a = [obs("a0", [0, 0, 0], 20), obs("a1", [100, 0, 0], 20), obs("a2", [0, 120, 0], 20)];
    const b = [obs("b0", [2, 1, 0], 21), obs("b1", [101, 2, 1], 19), obs("b2", [0, 120, 400], 5)];
    const r = matchStudyPair(a, b);
    expect(sorted(r.pairs)).toEqual(["a0>b0", "a1>b1"]);
    for (const p of r.pairs) expect(p.confidence).toBeGreaterThan(0.5);
    for (const p of r.pairs) expect(p.confidence).toBeLessThanOrEqual(1);
  });
});

describe("embeddings", () => {
  it("reports a dimension mismatch as a typed error value", () => {
    const r = checkEmbeddingDimensions([obs("x", [0, 0, 0], 5, { embedding: [1, 2] }), obs("y", [0, 0, 0], 5, { embedding: [1, 2, 3] }), obs("z", [0, 0, 0], 5)]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe("EMBEDDING_DIMENSION_MISMATCH");
      expect(r.error.dimensions).toEqual([{ observationId: "x", dimension: 2 }, { observationId: "y", dimension: 3 }]);
    }
    expect(checkEmbeddingDimensions([obs("x", [0, 0, 0], 5, { embedding: [1, 2] }), obs("z", [0, 0, 0], 5)])).toEqual({ ok: true, dimension: 2 });
    expect(checkEmbeddingDimensions([obs("z", [0, 0, 0], 5)])).toEqual({ ok: true, dimension: null });
  });

  it("finds the first embedding of another length than the expected or first one, skipping absent ones", () => {
    expect(firstDimensionMismatch([undefined, [1, 2], null, [3, 4], [5, 6, 7], [8]])).toEqual({ index: 4, dimension: 3, expected: 2 });
    expect(firstDimensionMismatch([[1, 2], undefined], 3)).toEqual({ index: 0, dimension: 2, expected: 3 });
    expect(firstDimensionMismatch([[1, 2], [3, 4]])).toBeNull();
    expect(firstDimensionMismatch([], 4)).toBeNull();
  });

  it("cosine distance is 0 for parallel, 1 for orthogonal, null when not comparable", () => {
    expect(cosineDistance([1, 2], [2, 4])).toBeCloseTo(0, 12);
    expect(cosineDistance([1, 0], [0, 3])).toBeCloseTo(1, 12);
    expect(cosineDistance([1, 0], [1, 0, 0])).toBeNull();
    expect(cosineDistance([0, 0], [1, 0])).toBeNull();
  });
});
