import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Vec3 } from "../../../src/domain/geometry.ts";
import { type AlignPoint, estimateTranslation, shiftHypotheses } from "../../../src/domain/matching/align.ts";
import type { AlignConfig } from "../../../src/domain/matching/weights.ts";
import { PINNED_ALIGN_CONFIG, rng } from "./helpers.ts";

// Above 1024 lesion pairs (a.length * b.length) candidates come from a spatial grid instead of all pairs, and above
// 256 anchors only the 256 with most votes are refined. These tests use sets large enough to take those paths.

const cfg: AlignConfig = PINNED_ALIGN_CONFIG;

const pt = (id: string, positionMm: Vec3, longAxisMm = 10): AlignPoint => ({ id, positionMm, longAxisMm });
const plus = (p: Vec3, q: Vec3): Vec3 => [p[0] + q[0], p[1] + q[1], p[2] + q[2]];

/**
 * The doc's definition of the inliers of a shift, computed over all pairs: every (i, j) with
 * |b_j - (a_i + shift)| < radius, taken closest first (ties by i, then j), each lesion at most once.
 */
function referenceInliers(a: readonly AlignPoint[], b: readonly AlignPoint[], shift: Vec3, radius: number): { inliers: [number, number][]; residual: number } {
  const cand: { i: number; j: number; r: number }[] = [];
  a.forEach((p, i) =>
    b.forEach((q, j) => {
      const r = Math.hypot(q.positionMm[0] - p.positionMm[0] - shift[0], q.positionMm[1] - p.positionMm[1] - shift[1], q.positionMm[2] - p.positionMm[2] - shift[2]);
      if (r < radius) cand.push({ i, j, r });
    }),
  );
  cand.sort((x, y) => x.r - y.r || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>(), usedB = new Set<number>();
  const inliers: [number, number][] = [];
  let residual = 0;
  for (const c of cand) {
    if (usedA.has(c.i) || usedB.has(c.j)) continue;
    usedA.add(c.i); usedB.add(c.j);
    inliers.push([c.i, c.j]);
    residual += c.r;
  }
  return { inliers, residual };
}

describe("shiftHypotheses on large lesion sets (grid candidates)", () => {
  it("finds for every hypothesis exactly the one-to-one inliers of its shift", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 33, max: 40 }), fc.integer({ min: 33, max: 40 }), (seed, na, nb) => {
        const rand = rng(seed);
        const u = (h: number) => (rand() * 2 - 1) * h;
        const shift: Vec3 = [u(60), u(60), u(60)];
        const a = Array.from({ length: na }, (_, i) => pt(`a${i}`, [u(90), u(90), u(90)]));
        // About two thirds of b follow a under the shift with up to ±8 mm noise, the rest is clutter; b is shuffled.
        const bPos = Array.from({ length: nb }, (_, j): Vec3 =>
          j < na && rand() < 0.67 ? plus(plus(a[j]!.positionMm, shift), [u(8), u(8), u(8)]) : plus([u(90), u(90), u(90)], shift),
        );
        for (let j = nb - 1; j > 0; j--) {
          const k = Math.floor(rand() * (j + 1));
          [bPos[j], bPos[k]] = [bPos[k]!, bPos[j]!];
        }
        const b = bPos.map((p, j) => pt(`b${j}`, p));
        const hyps = shiftHypotheses(a, b, cfg);
        expect(hyps.length).toBeGreaterThan(0);
        const keys = new Set(hyps.map((h) => h.shiftMm.join(",")));
        expect(keys.size).toBe(hyps.length);
        for (const h of hyps) {
          const ref = referenceInliers(a, b, h.shiftMm, cfg.inlierRadiusMm);
          expect(h.inliers).toEqual(ref.inliers);
          expect(h.residualSumMm).toBeCloseTo(ref.residual, 6);
        }
        // Best first: inlier counts never increase down the list.
        for (let k = 1; k < hyps.length; k++) expect(hyps[k]!.inliers.length).toBeLessThanOrEqual(hyps[k - 1]!.inliers.length);
      }),
      { numRuns: 8 },
    );
  });

  /** 36 lesions on a 4 x 3 x 3 lattice, 100 mm apart (no two within twice the inlier radius). */
  const lattice = (): Vec3[] => {
    const pts: Vec3[] = [];
    for (let x = 0; x < 4; x++) for (let y = 0; y < 3; y++) for (let z = 0; z < 3; z++) pts.push([x * 100 - 150, y * 100 - 100, z * 100 - 100]);
    return pts;
  };
  const S: Vec3 = [17, -23, 41];

  it("recovers an exact translation of a large set with every lesion paired to its copy", () => {
    // 36 x 36 = 1296 pairs > 1024. b = a + S exactly, so every lesion is an inlier with residual 0.
    const a = lattice().map((p, i) => pt(`a${i}`, p));
    const b = lattice().map((p, i) => pt(`b${i}`, plus(p, S)));
    const [best] = shiftHypotheses(a, b, cfg);
    expect(best).toEqual({ shiftMm: S, inliers: a.map((_, i) => [i, i]), residualSumMm: 0 });
    expect(estimateTranslation(a, b, cfg)).toEqual({ shiftMm: S, inliers: 36, ambiguous: false });
  });

  it("does not count a lesion exactly at the inlier radius (grid path)", () => {
    // b5 is placed (18, 24, 0) from a5 + S: exactly 30 mm (18² + 24² = 900). The other 35 pairs fit exactly.
    const a = lattice().map((p, i) => pt(`a${i}`, p));
    const b = lattice().map((p, i) => pt(`b${i}`, plus(plus(p, S), i === 5 ? [18, 24, 0] : [0, 0, 0])));
    const [best] = shiftHypotheses(a, b, cfg);
    expect(best!.shiftMm).toEqual(S);
    expect(best!.inliers).toEqual(a.map((_, i): [number, number] => [i, i]).filter(([i]) => i !== 5));
    expect(best!.residualSumMm).toBe(0);
  });

  it("pairs a lesion with the lower index of two equidistant candidates (grid path)", () => {
    // a_i = (210 i, 0, 0), i < 33; b_i = a_i + (5, 0, 0) except b1 = a1 + (15, 0, 0), plus b33 = a1 + (-5, 0, 0).
    // 33 x 34 = 1122 pairs > 1024. At shift 5, a1 lands at 215, 10 mm from b1 (225) and from b33 (205): b1 wins.
    // Offsets: 32 x 5 and one 15 -> median 5; residuals 32 x 0 + 10.
    const a = Array.from({ length: 33 }, (_, i) => pt(`a${i}`, [210 * i, 0, 0]));
    const b = a.map((p, i) => pt(`b${i}`, plus(p.positionMm, [i === 1 ? 15 : 5, 0, 0])));
    b.push(pt("b33", [205, 0, 0]));
    const [best] = shiftHypotheses(a, b, cfg);
    const exact = a.map((_, i): [number, number] => [i, i]).filter(([i]) => i !== 1);
    expect(best).toEqual({ shiftMm: [5, 0, 0], inliers: [...exact, [1, 1]], residualSumMm: 10 });
  });
});

describe("shiftHypotheses anchor preselection", () => {
  it("refines every anchor, in input order, when there are exactly 256", () => {
    // One lesion of a at 0 and 256 of b: 256 anchors, each refining to its own shift with one pair and residual 0.
    // b0 at -100 and b1 at +100 tie exactly ((100/20)² each); b2 at 101 sits next to b1. Far clutter at x >= 1000.
    // Equal hypotheses keep the order of their anchors, so -100 (b0) comes before +100 (b1).
    const b = [pt("b0", [-100, 0, 0]), pt("b1", [100, 0, 0]), pt("b2", [101, 0, 0])];
    for (let k = 3; k < 256; k++) b.push(pt(`b${k}`, [1000 + 100 * (k % 16), 100 * Math.floor(k / 16), 0]));
    const hyps = shiftHypotheses([pt("a0", [0, 0, 0])], b, cfg);
    expect(hyps).toHaveLength(256);
    expect(hyps.slice(0, 3).map((h) => h.shiftMm)).toEqual([
      [-100, 0, 0],
      [100, 0, 0],
      [101, 0, 0],
    ]);
    expect(estimateTranslation([pt("a0", [0, 0, 0])], b, cfg).shiftMm).toEqual([-100, 0, 0]);
  });

  it("drops the anchor with fewest neighbouring anchors when there are 257", () => {
    // One lesion of a at 0; b: a lone lesion first (b0, no other anchor within 30 mm: 1 vote), then 128 pairs of
    // lesions 10 mm apart (2 votes each), pairs 100 mm apart. 257 anchors: the 256 best-voted are all the pairs.
    const b = [pt("lone", [0, 0, -3000])];
    for (let m = 0; m < 128; m++) {
      const p: Vec3 = [300 + 100 * (m % 16), 100 * Math.floor(m / 16), 0];
      b.push(pt(`p${m}`, p), pt(`q${m}`, plus(p, [10, 0, 0])));
    }
    const hyps = shiftHypotheses([pt("a0", [0, 0, 0])], b, cfg);
    expect(hyps).toHaveLength(256);
    const listed = new Set(hyps.map((h) => h.shiftMm.join(",")));
    expect(listed.has("0,0,-3000")).toBe(false);
    for (const q of b.slice(1)) expect(listed.has(q.positionMm.join(","))).toBe(true);
  });

  it("counts each neighbouring anchor once, whatever grid cells it shares a bucket with", () => {
    // 257 anchors: a triple of mutually close anchors (3 votes each) and 127 pairs 10 mm apart (2 votes each), so
    // exactly one 2-vote anchor is dropped: the last one. That last anchor, o = (5, 2, 28), has its partner
    // o' = (5, -2, 32) 5.7 mm away in the diagonal cell (0, -1, 1), whose hash bucket is also reached from
    // cell (0, 1, -1); counted twice it would outvote the other pairs and be kept.
    const b = [pt("t0", [-500, 0, 0]), pt("t1", [-490, 0, 0]), pt("t2", [-500, 10, 0]), pt("o2", [5, -2, 32])];
    for (let m = 0; m < 126; m++) {
      const p: Vec3 = [300 + 100 * (m % 16), 100 * Math.floor(m / 16), 0];
      b.push(pt(`p${m}`, p), pt(`q${m}`, plus(p, [10, 0, 0])));
    }
    b.push(pt("o", [5, 2, 28]));
    expect(b).toHaveLength(257);
    const listed = new Set(shiftHypotheses([pt("a0", [0, 0, 0])], b, cfg).map((h) => h.shiftMm.join(",")));
    expect(listed.size).toBe(256);
    expect(listed.has("5,2,28")).toBe(false);
    expect(listed.has("5,-2,32")).toBe(true);
  });

  it("keeps the lowest-index anchors among equal votes", () => {
    // 257 lone anchors (1 vote each): the last one (highest index) is dropped.
    const b: AlignPoint[] = [];
    for (let k = 0; k < 257; k++) b.push(pt(`b${k}`, [100 * (k % 16), 100 * Math.floor(k / 16), 0]));
    const hyps = shiftHypotheses([pt("a0", [0, 0, 0])], b, cfg);
    const listed = new Set(hyps.map((h) => h.shiftMm.join(",")));
    expect(hyps).toHaveLength(256);
    expect(listed.has(b[256]!.positionMm.join(","))).toBe(false);
  });
});
