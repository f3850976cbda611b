import { describe, expect, it } from "vitest";
import type { Vec3 } from "../../../src/domain/geometry.ts";
import { type AlignPoint, estimateTranslation, priorDistance2, shiftHypotheses, shiftPriorCost } from "../../../src/domain/matching/align.ts";
import { PINNED_ALIGN_CONFIG } from "./helpers.ts";
import type { AlignConfig } from "../../../src/domain/matching/weights.ts";

/** Pinned here (not the fitted values) so the hand-worked cases below stay valid. */
const cfg: AlignConfig = PINNED_ALIGN_CONFIG;

const pt = (id: string, positionMm: Vec3, longAxisMm = 10, kind: string | null = null): AlignPoint => ({ id, positionMm, longAxisMm, kind });
const shifts = (a: AlignPoint[], b: AlignPoint[], config = cfg): Vec3[] => shiftHypotheses(a, b, config).map((h) => h.shiftMm);

describe("priorDistance2 and shiftPriorCost", () => {
  it("sums the squared per-axis shifts in units of the prior spread", () => {
    // (2/1)² + (4/2)² + (6/3)² = 4 + 4 + 4 = 12; (0/1)² + (0/1)² + (10/5)² = 4.
    expect(priorDistance2([2, 4, 6], [1, 2, 3])).toBe(12);
    expect(priorDistance2([0, 0, 10], [1, 1, 5])).toBe(4);
    expect(priorDistance2([-3, 0, 0], [1, 1, 1])).toBe(9);
  });

  it("costs weight * log(1 + d²/2)", () => {
    // d² = (2/1)² = 4: log(1 + 2) = ln 3; weight 2 doubles it; no shift costs nothing.
    expect(shiftPriorCost([2, 0, 0], [1, 1, 1], 1)).toBeCloseTo(Math.log(3), 12);
    expect(shiftPriorCost([0, 0, 1000], [1, 1, 500], 2)).toBeCloseTo(2 * Math.log(3), 12);
    expect(shiftPriorCost([0, 0, 0], [20, 20, 500], 5)).toBe(0);
  });
});

describe("shiftHypotheses", () => {
  it("has no hypothesis when either study has no lesion", () => {
    expect(shiftHypotheses([], [pt("b", [1, 2, 3])], cfg)).toEqual([]);
    expect(shiftHypotheses([pt("a", [1, 2, 3])], [], cfg)).toEqual([]);
    expect(shiftHypotheses([], [], cfg)).toEqual([]);
  });

  it("lists each distinct refined shift once, most inliers first, then closer to the prior", () => {
    // a: 0, 100; b: 105, 5 (x only). Anchors 105 (a0b0), 5 (a0b1), 5 (a1b0), -95 (a1b1).
    // Shift 5 pairs a0-b1 and a1-b0 (residual 0); 105 and -95 pair one lesion each.
    // Tie of the singles broken by the prior: (95/20)² = 22.6 < (105/20)² = 27.6.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [100, 0, 0])];
    const b = [pt("b0", [105, 0, 0]), pt("b1", [5, 0, 0])];
    expect(shiftHypotheses(a, b, cfg)).toEqual([
      { shiftMm: [5, 0, 0], inliers: [[0, 1], [1, 0]], residualSumMm: 0 },
      { shiftMm: [-95, 0, 0], inliers: [[1, 1]], residualSumMm: 0 },
      { shiftMm: [105, 0, 0], inliers: [[0, 0]], residualSumMm: 0 },
    ]);
  });

  it("refines the shift to the component-wise median offset and sums the residuals", () => {
    // b_i = a_i + S + n_i, S = (10, -20, 30), n0 = (3, 4, 0), n1 = 0, n2 = (-4, 0, -3); lesions 100 mm apart.
    // Medians of the offsets: x {13, 10, 6} = 10, y {-16, -20, -20} = -20, z {30, 30, 27} = 30, so S exactly.
    // Residuals at S: |n0| = 5, |n1| = 0, |n2| = 5 (sum 10); order: smallest residual first, ties by index in a.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [100, 0, 0]), pt("a2", [0, 100, 0])];
    const b = [pt("b0", [13, -16, 30]), pt("b1", [110, -20, 30]), pt("b2", [6, 80, 27])];
    const [best] = shiftHypotheses(a, b, cfg);
    expect(best).toEqual({ shiftMm: [10, -20, 30], inliers: [[1, 1], [0, 0], [2, 2]], residualSumMm: 10 });
    expect(estimateTranslation(a, b, cfg)).toEqual({ shiftMm: [10, -20, 30], inliers: 3, ambiguous: false });
  });

  it("pairs one-to-one, closest residual first", () => {
    // a: 0, 10; b: 12. Anchor 2 (a1b0): a1 lands on b0 (residual 0) and a0 is 10 mm off; b0 can be used once,
    // so the shift stays 2 with the single pair a1-b0. Anchor 12 (a0b0) likewise keeps only a0-b0.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [10, 0, 0])];
    const b = [pt("b0", [12, 0, 0])];
    expect(shiftHypotheses(a, b, cfg)).toEqual([
      { shiftMm: [2, 0, 0], inliers: [[1, 0]], residualSumMm: 0 },
      { shiftMm: [12, 0, 0], inliers: [[0, 0]], residualSumMm: 0 },
    ]);
    // Mirror: two lesions of b near one of a; each lesion of a is used once.
    const b2 = [pt("b0", [0, 0, 0]), pt("b1", [10, 0, 0])];
    expect(shiftHypotheses([pt("a0", [12, 0, 0])], b2, cfg)).toEqual([
      { shiftMm: [-2, 0, 0], inliers: [[0, 1]], residualSumMm: 0 },
      { shiftMm: [-12, 0, 0], inliers: [[0, 0]], residualSumMm: 0 },
    ]);
  });

  it("breaks equal residuals by the index in b", () => {
    // a: 0, 200, 400; b: 0, 210, 190, 400. At shift 0, a0 and a2 land on b0 and b3 (residual 0) and a1 (200) is
    // 10 mm from both b1 and b2: the lower index b1 wins. Offsets x {0, 10, 0}: median 0, so shift 0 is a fixed point.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [200, 0, 0]), pt("a2", [400, 0, 0])];
    const b = [pt("b0", [0, 0, 0]), pt("b1", [210, 0, 0]), pt("b2", [190, 0, 0]), pt("b3", [400, 0, 0])];
    expect(shiftHypotheses(a, b, cfg)[0]).toEqual({ shiftMm: [0, 0, 0], inliers: [[0, 0], [2, 3], [1, 1]], residualSumMm: 10 });
  });

  it("counts a lesion as inlier only strictly inside the inlier radius", () => {
    // a: 0, 100; b: 0, 130. At shift 0 a1 is exactly 30 mm from b1: not an inlier, so every shift has one pair
    // and the one closest to the prior (0) wins; were 30 mm inside, the median {0, 30} = 15 would pair both.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [100, 0, 0])];
    const b = [pt("b0", [0, 0, 0]), pt("b1", [130, 0, 0])];
    const hyps = shiftHypotheses(a, b, cfg);
    expect(hyps.map((h) => h.inliers.length)).toEqual([1, 1, 1, 1]);
    expect(hyps[0]).toEqual({ shiftMm: [0, 0, 0], inliers: [[0, 0]], residualSumMm: 0 });
    expect(estimateTranslation(a, b, cfg)).toEqual({ shiftMm: [0, 0, 0], inliers: 1, ambiguous: true });
  });

  it("ranks smaller residuals above closeness to the prior among equal inlier counts", () => {
    // Two groups: a0, a1 match b0, b1 near shift 0 (residual 2 + 2 = 4) and b2, b3 at shift 300 exactly (residual 0).
    const a = [pt("a0", [0, 0, 0]), pt("a1", [100, 0, 0])];
    const b = [pt("b0", [0, 2, 0]), pt("b1", [100, -2, 0]), pt("b2", [300, 0, 0]), pt("b3", [400, 0, 0])];
    // Shift 0 group: offsets y {2, -2} -> median 0; residuals 2 + 2 = 4. Shift 300: residual 0 but (300/20)² = 225 from the prior.
    const hyps = shiftHypotheses(a, b, cfg);
    expect(hyps[0]).toEqual({ shiftMm: [300, 0, 0], inliers: [[0, 2], [1, 3]], residualSumMm: 0 });
    expect(hyps[1]).toEqual({ shiftMm: [0, 0, 0], inliers: [[0, 0], [1, 1]], residualSumMm: 4 });
  });

  it("keeps shifts whose coordinates would read alike when run together", () => {
    // (1, 10, 0) and (11, 0, 0) are distinct shifts (14 mm apart, both one pair, residual 0);
    // prior: (1/20)² + (10/20)² = 0.2525 < (11/20)² = 0.3025.
    const b = [pt("b0", [1, 10, 0]), pt("b1", [11, 0, 0])];
    expect(shifts([pt("a0", [0, 0, 0])], b)).toEqual([
      [1, 10, 0],
      [11, 0, 0],
    ]);
  });

  describe("anchors", () => {
    // One lesion of a at 0; b holds a candidate 5 mm away and another 50 mm away. Every hypothesis pairs one lesion,
    // so which shifts are listed shows which pairs were tried as anchors.
    it("tries only pairs of the same kind when both name one", () => {
      const a = [pt("a0", [0, 0, 0], 10, "liver")];
      expect(shifts(a, [pt("b0", [5, 0, 0], 10, "lung"), pt("b1", [50, 0, 0], 10, "liver")])).toEqual([[50, 0, 0]]);
      expect(shifts(a, [pt("b0", [5, 0, 0], 10, "liver"), pt("b1", [50, 0, 0], 10, "lung")])).toEqual([[5, 0, 0]]);
    });

    it("tries a pair when either side names no kind", () => {
      // a0 has no kind: a0-b0 is tried; a1 (liver) vs b0 (lung) is not, so shift -995 is never listed.
      expect(shifts([pt("a0", [0, 0, 0]), pt("a1", [1000, 0, 0], 10, "liver")], [pt("b0", [5, 0, 0], 10, "lung")])).toEqual([[5, 0, 0]]);
      // b0 has no kind (empty counts as none): a0-b0 is tried, a0-b1 (lung vs liver) is not.
      expect(shifts([pt("a0", [0, 0, 0], 10, "lung")], [pt("b0", [5, 0, 0], 10, ""), pt("b1", [50, 0, 0], 10, "liver")])).toEqual([[5, 0, 0]]);
      expect(shifts([pt("a0", [0, 0, 0], 10, "lung")], [pt("b0", [5, 0, 0], 10, null), pt("b1", [50, 0, 0], 10, "liver")])).toEqual([[5, 0, 0]]);
    });

    it("tries pairs whose long axes differ by at most the ratio", () => {
      // 30 / 10 = 3 <= 3 is tried; 31 / 10 = 3.1 is not (in both orders).
      expect(shifts([pt("a0", [0, 0, 0], 10)], [pt("b0", [5, 0, 0], 30), pt("b1", [50, 0, 0], 31)])).toEqual([[5, 0, 0]]);
      expect(shifts([pt("a0", [0, 0, 0], 30)], [pt("b0", [5, 0, 0], 10), pt("b1", [50, 0, 0], 9)])).toEqual([[5, 0, 0]]);
    });

    it("treats a lesion of size 0 as compatible with any size", () => {
      // a0 (size 0) - b0 (50) is tried; a1 (10) - b0 (50): ratio 5 > 3 is not, so shift -995 is never listed.
      expect(shifts([pt("a0", [0, 0, 0], 0), pt("a1", [1000, 0, 0], 10)], [pt("b0", [5, 0, 0], 50)])).toEqual([[5, 0, 0]]);
    });

    it("falls back to every pair when no pair is compatible", () => {
      // Both shifts one pair, residual 0; (5/20)² < (50/20)².
      expect(shifts([pt("a0", [0, 0, 0], 10, "liver")], [pt("b0", [5, 0, 0], 10, "lung"), pt("b1", [50, 0, 0], 100)])).toEqual([
        [5, 0, 0],
        [50, 0, 0],
      ]);
    });
  });
});

describe("estimateTranslation", () => {
  it("is ambiguous with no shift when a study has no lesion", () => {
    expect(estimateTranslation([], [pt("b", [5, 0, 0])], cfg)).toEqual({ shiftMm: [0, 0, 0], inliers: 0, ambiguous: true });
  });

  it("is ambiguous with a single pair", () => {
    expect(estimateTranslation([pt("a", [0, 0, 0])], [pt("b", [5, 0, 0])], cfg)).toEqual({ shiftMm: [5, 0, 0], inliers: 1, ambiguous: true });
  });

  it("is not ambiguous when two pairs agree and every other shift has less support", () => {
    // See the 5 / -95 / 105 case above: only shift 5 has two pairs.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [100, 0, 0])];
    const b = [pt("b0", [105, 0, 0]), pt("b1", [5, 0, 0])];
    expect(estimateTranslation(a, b, cfg)).toEqual({ shiftMm: [5, 0, 0], inliers: 2, ambiguous: false });
  });

  it("is ambiguous when a shift farther than the inlier radius has equal support", () => {
    // a: 0, 100; b: 0, 100, 200. Shifts 0 and 100 both pair two lesions with residual 0; the prior prefers 0.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [100, 0, 0])];
    const b = [pt("b0", [0, 0, 0]), pt("b1", [100, 0, 0]), pt("b2", [200, 0, 0])];
    expect(shifts(a, b)).toEqual([
      [0, 0, 0],
      [100, 0, 0],
      [-100, 0, 0],
      [200, 0, 0],
    ]);
    expect(estimateTranslation(a, b, cfg)).toEqual({ shiftMm: [0, 0, 0], inliers: 2, ambiguous: true });
  });

  it("is not ambiguous when the equally supported rival lies exactly at the inlier radius", () => {
    // a: 0, 100; b: 0, 30, 100, 130. Shifts 0 and 30 both pair two lesions (the 30 mm cross pairs are not inliers);
    // the rival is exactly 30 mm away, not farther.
    const a = [pt("a0", [0, 0, 0]), pt("a1", [100, 0, 0])];
    const b = [pt("b0", [0, 0, 0]), pt("b1", [30, 0, 0]), pt("b2", [100, 0, 0]), pt("b3", [130, 0, 0])];
    const hyps = shiftHypotheses(a, b, cfg);
    expect(hyps.slice(0, 2)).toEqual([
      { shiftMm: [0, 0, 0], inliers: [[0, 0], [1, 2]], residualSumMm: 0 },
      { shiftMm: [30, 0, 0], inliers: [[0, 1], [1, 3]], residualSumMm: 0 },
    ]);
    expect(estimateTranslation(a, b, cfg)).toEqual({ shiftMm: [0, 0, 0], inliers: 2, ambiguous: false });
  });
});
