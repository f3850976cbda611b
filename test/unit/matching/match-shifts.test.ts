import { describe, expect, it } from "vitest";
import type { Vec3 } from "../../../src/domain/geometry.ts";
import type { Observation } from "../../../src/domain/observation.ts";
import { FORCE_BONUS, costMatrix, matchEvidence, matchObservations, pairKey } from "../../../src/domain/matching/match.ts";
import { MATCHER_CONFIG, type MatcherConfig } from "../../../src/domain/matching/weights.ts";
import { obs } from "./helpers.ts";

/*
 * Worked with MATCHER_CONFIG unless stated: position tolerance = 20 + 0.5 x mean long axis
 * (25 mm for two 10 mm lesions), sizeWeight 1.5, missing position 1, gate 3 (1.5 per unmatched
 * lesion), inlier radius 30 mm, shift prior weight 1 with spreads (20, 20, 500) mm:
 * prior(s) = log(1 + ((sx/20)² + (sy/20)² + (sz/500)²) / 2).
 */
const prior = (s: Vec3): number => Math.log1p(((s[0] / 20) ** 2 + (s[1] / 20) ** 2 + (s[2] / 500) ** 2) / 2);
const links = (pairs: { a: string; b: string }[]): string[] => pairs.map((p) => `${p.a}>${p.b}`).sort();
const withConfig = (patch: Partial<MatcherConfig>, align: Partial<MatcherConfig["align"]> = {}): MatcherConfig => ({
  ...MATCHER_CONFIG,
  ...patch,
  align: { ...MATCHER_CONFIG.align, ...align },
});
const norm3 = (id: string, p: Vec3, extra: Partial<Observation> = {}): Observation => obs(id, [0, 0, 0], 10, { positionMm: null, positionNormalized: p, ...extra });

describe("costMatrix", () => {
  const earlier = [obs("a0", [0, 0, 0], 10), obs("a1", [100, 0, 0], 10)];
  const later = [obs("b0", [30, 40, 0], 10), obs("b1", [0, 0, 0], 10)];

  it("scores every pair under the shift, with skipped studies per earlier row (default 0)", () => {
    const m = costMatrix({ earlier, later, skipped: [2] }, [30, 0, 0]);
    // a0-b0: residual (0, 40, 0) -> 40 / 25 = 1.6, plus 0.25 x 2 skipped = 0.5.
    expect(m[0]![0]!.position).toBeCloseTo(1.6, 12);
    expect(m[0]![0]!.skip).toBeCloseTo(0.5, 12);
    expect(m[0]![0]!.total).toBeCloseTo(2.1, 12);
    // a0-b1: residual (-30, 0, 0) -> 1.2 + 0.5.
    expect(m[0]![1]!.total).toBeCloseTo(1.7, 12);
    // a1-b0: residual (-100, 40, 0) -> sqrt(11600) / 25; no skip for row 1.
    expect(m[1]![0]!.total).toBeCloseTo(Math.sqrt(11600) / 25, 12);
    expect(m[1]![0]!.skip).toBe(0);
    // a1-b1: residual (-130, 0, 0) -> 5.2.
    expect(m[1]![1]!.total).toBeCloseTo(5.2, 12);
  });

  it("sets forbidden pairs to Infinity and lowers forced ones by FORCE_BONUS, keeping their parts", () => {
    const m = costMatrix({ earlier, later, forbidden: new Set([pairKey("a0", "b0")]), forced: new Set([pairKey("a1", "b1")]) }, [30, 0, 0]);
    expect(m[0]![0]!.total).toBe(Infinity);
    expect(m[0]![0]!.position).toBeCloseTo(1.6, 12);
    expect(m[1]![1]!.total).toBeCloseTo(5.2 - FORCE_BONUS, 6);
    expect(m[1]![1]!.position).toBeCloseTo(5.2, 12);
    expect(m[0]![1]!.total).toBeCloseTo(1.2, 12);
  });

  it("uses the configuration it is given", () => {
    const config = withConfig({ cost: { ...MATCHER_CONFIG.cost, positionScaleMm: 45 } });
    // Tolerance 45 + 5 = 50; a0-b0 at no shift: 50 mm -> 1.
    expect(costMatrix({ earlier, later, config }, [0, 0, 0])[0]![0]!.total).toBeCloseTo(1, 12);
  });
});

describe("matchEvidence on empty studies", () => {
  const config = withConfig({ gate: 4 });
  for (const [name, earlier, later] of [
    ["no earlier lesion", [], [obs("b0", [0, 0, 0], 10)]],
    ["no later lesion", [obs("a0", [0, 0, 0], 10)], []],
    ["neither", [], []],
  ] as const) {
    it(`returns no pairs, an ambiguous zero shift, infinite costs and margin -gate (${name})`, () => {
      const ev = matchEvidence({ earlier, later, config });
      expect(ev.pairs).toEqual([]);
      expect(ev.alignment).toEqual({ shiftMm: [0, 0, 0], inliers: 0, ambiguous: true });
      expect(ev.cost(0, 0)).toBe(Infinity);
      expect(ev.margin(0, 0)).toBe(-4);
    });
  }
});

describe("matchObservations: gate and configuration", () => {
  // Same place, only the size differs: cost = 1.5 ln(ratio); the gate 3 is reached at ratio e² ≈ 7.39.
  const pairAt = (ratio: number, config?: MatcherConfig) =>
    matchObservations({ earlier: [obs("a0", [0, 0, 0], 10)], later: [obs("b0", [0, 0, 0], 10 * ratio)], config }).pairs;

  it("links a pair cheaper than the gate and leaves one dearer than it unmatched", () => {
    expect(pairAt(7).map((p) => p.cost)).toEqual([expect.closeTo(1.5 * Math.log(7), 10)]);
    expect(pairAt(8)).toEqual([]);
  });

  it("uses the gate of the configuration it is given", () => {
    // 1.5 ln 8 ≈ 3.12 < 7.
    expect(pairAt(8, withConfig({ gate: 7 }))).toHaveLength(1);
  });

  it("scores at most maxHypotheses shifts besides none", () => {
    // Two lesions moved 200 mm along z: the shift (0, 0, 200) matches both at cost 0 (prior ≈ 0.077);
    // with no hypothesis allowed only the zero shift is left, where each pair costs 200 / 25 = 8.
    const earlier = [obs("a0", [0, 0, 0], 10), obs("a1", [100, 0, 0], 10)];
    const later = [obs("b0", [0, 0, 200], 10), obs("b1", [100, 0, 200], 10)];
    const free = matchObservations({ earlier, later });
    expect(links(free.pairs)).toEqual(["a0>b0", "a1>b1"]);
    expect(free.alignment.shiftMm).toEqual([0, 0, 200]);
    const none = matchObservations({ earlier, later, config: withConfig({}, { maxHypotheses: 0 }) });
    expect(none.pairs).toEqual([]);
    expect(none.alignment.shiftMm).toEqual([0, 0, 0]);
  });

  it("keeps no shift when a shift explains the lesions no better (exact tie)", () => {
    // Gate 1, no prior: a 10 mm and a 20 mm lesion cost 1.5 ln 2 ≈ 1.04 > 1 even when aligned,
    // so both the zero shift and (1000, 0, 0) leave both unmatched: objective 1 for each.
    const r = matchObservations({
      earlier: [obs("a0", [0, 0, 0], 10)],
      later: [obs("b0", [1000, 0, 0], 20)],
      config: withConfig({ gate: 1 }, { shiftPriorWeight: 0 }),
    });
    expect(r.pairs).toEqual([]);
    expect(r.alignment.shiftMm).toEqual([0, 0, 0]);
  });
});

describe("matchObservations: anchors respect lesion kinds", () => {
  it("does not try a pair of different lesion types as an anchor", () => {
    // Only (a0, b1) share a type: the one hypothesis is (0, 0, -2000): a0-b1 at 0, b0 unmatched
    // 1.5, prior ln 9 ≈ 2.20 -> 3.70 < 4.5 (all unmatched at no shift). Were (a0, b0) an anchor,
    // (0, 0, 100) would cost 1 (type mismatch) + 1.5 + 0.02 ≈ 2.52 and win.
    const r = matchObservations({
      earlier: [obs("a0", [0, 0, 0], 10, { lesionType: "x" })],
      later: [obs("b0", [0, 0, 100], 10, { lesionType: "y" }), obs("b1", [0, 0, -2000], 10, { lesionType: "x" })],
    });
    expect(links(r.pairs)).toEqual(["a0>b1"]);
    expect(r.alignment.shiftMm).toEqual([0, 0, -2000]);
  });
});

describe("matchObservations: missing and normalised positions", () => {
  it("matches a lesion without position at the missing-position cost and never counts it as an inlier", () => {
    // a0 has no position: cost 1 with anyone. a1-b1 at 0. No shift is better than none.
    const r = matchObservations({
      earlier: [obs("a0", [0, 0, 0], 10, { positionMm: null }), obs("a1", [100, 0, 0], 10)],
      later: [obs("b0", [0, 0, 0], 10), obs("b1", [100, 0, 0], 10)],
    });
    expect(links(r.pairs)).toEqual(["a0>b0", "a1>b1"]);
    expect(r.pairs.find((p) => p.a === "a0")!.cost).toBeCloseTo(1, 12);
    expect(r.pairs.find((p) => p.a === "a1")!.cost).toBeCloseTo(0, 12);
    expect(r.alignment).toEqual({ shiftMm: [0, 0, 0], inliers: 1, ambiguous: true });
  });

  it("in a study mixing normalised and mm lesions, moves only pairs compared in mm", () => {
    // Shift (0, 0, 200) aligns the mm pairs a0-b0, a1-b1 and a3-b3 (b3 has no normalised
    // position, so a3-b3 is compared in mm). a2-b2 are both normalised: 0.0625 x 350 = 21.875 mm
    // -> 0.875 whatever the shift (their equal mm positions are ignored). Objective 0.875 + 0.077.
    const earlier = [
      obs("a0", [0, 0, 0], 10),
      obs("a1", [100, 0, 0], 10),
      obs("a2", [0, 300, 0], 10, { positionNormalized: [0.5, 0.5, 0.5] }),
      obs("a3", [0, -300, 0], 10, { positionNormalized: [0.25, 0.25, 0.25] }),
    ];
    const later = [
      obs("b0", [0, 0, 200], 10),
      obs("b1", [100, 0, 200], 10),
      obs("b2", [0, 300, 0], 10, { positionNormalized: [0.5625, 0.5, 0.5] }),
      obs("b3", [0, -300, 200], 10),
    ];
    const r = matchObservations({ earlier, later });
    expect(links(r.pairs)).toEqual(["a0>b0", "a1>b1", "a2>b2", "a3>b3"]);
    expect(r.pairs.find((p) => p.a === "a2")!.cost).toBeCloseTo(0.875, 10);
    expect(r.pairs.find((p) => p.a === "a3")!.cost).toBeCloseTo(0, 10);
    // a2-b2 lie 200 mm apart in mm after the shift: not an inlier.
    expect(r.alignment).toEqual({ shiftMm: [0, 0, 200], inliers: 3, ambiguous: false });
  });

  it("treats a study pair as normalised only when both sides are (one side normalised stays in mm)", () => {
    // One pair, compared in mm (b0 has no normalised position): 1 inlier -> ambiguous.
    const a = obs("a0", [0, 0, 0], 10, { positionNormalized: [0.5, 0.5, 0.5] });
    const b = obs("b0", [0, 0, 0], 10);
    expect(matchObservations({ earlier: [a], later: [b] }).alignment).toEqual({ shiftMm: [0, 0, 0], inliers: 1, ambiguous: true });
    expect(matchObservations({ earlier: [b], later: [a] }).alignment).toEqual({ shiftMm: [0, 0, 0], inliers: 1, ambiguous: true });
  });

  it("never calls an all-normalised study pair ambiguous, even with one link", () => {
    const r = matchObservations({ earlier: [norm3("a0", [0.5, 0.5, 0.5])], later: [norm3("b0", [0.5, 0.5, 0.5])] });
    expect(links(r.pairs)).toEqual(["a0>b0"]);
    expect(r.alignment).toEqual({ shiftMm: [0, 0, 0], inliers: 1, ambiguous: false });
  });
});

describe("matchObservations: people's forced and forbidden pairs", () => {
  // Lesions at x = 0 and x = 100 in both studies; a person links a0 to b1.
  // Shift (100, 0, 0): a0-b1 and a2-b2 at 0, a1 and b0 unmatched (3), prior ln(13.5) ≈ 2.60
  // -> 5.60 (plus -FORCE_BONUS); no shift: a0-b1 4, a1, b0, a2, b2 unmatched (6) -> 10.
  const earlier = [obs("a0", [0, 0, 0], 10), obs("a1", [100, 0, 0], 10), obs("a2", [0, 0, 300], 10)];
  const later = [obs("b0", [0, 0, 0], 10), obs("b1", [100, 0, 0], 10), obs("b2", [100, 0, 300], 10)];
  const forced = new Set([pairKey("a0", "b1")]);

  it("links a forced pair with its real cost, confidence 1 and margin 0", () => {
    const r = matchObservations({ earlier, later, forced });
    expect(links(r.pairs)).toEqual(["a0>b1", "a2>b2"]);
    expect(r.alignment.shiftMm).toEqual([100, 0, 0]);
    const f = r.pairs.find((p) => p.a === "a0")!;
    expect(f.confidence).toBe(1);
    expect(f.margin).toBe(0);
    expect(f.cost).toBeCloseTo(0, 6);
  });

  it("gives the other links a calibrated confidence below 1 from their own margin", () => {
    const r = matchObservations({ earlier, later, forced });
    const p = r.pairs.find((x) => x.a === "a2")!;
    // Every alternative of a2 and b2 costs at least 12 under the shift: margin = gate - 0 = 3.
    expect(p.cost).toBeCloseTo(0, 10);
    expect(p.margin).toBeCloseTo(3, 10);
    expect(p.confidence).toBeCloseTo(1 / (1 + Math.exp(-(0.758 + 1.09 * 3))), 10);
  });

  it("lets a forbidden pair win over a forced one", () => {
    const r = matchObservations({ earlier, later, forced, forbidden: new Set([pairKey("a0", "b1")]) });
    expect(r.pairs.some((p) => p.a === "a0" && p.b === "b1")).toBe(false);
  });
});

describe("matchObservations: duplicates (one lesion measured on two series)", () => {
  const s = (series: string) => ({ source: { series } });

  it("links a lesion to the nearer of two duplicates in the later study, with the group margin", () => {
    // b0 and b1 are one lesion (4 mm apart, series 1 and 2): the alternative b1 (0.16) is not a rival.
    const r = matchEvidence({ earlier: [obs("a0", [0, 0, 0], 10)], later: [obs("b0", [0, 0, 0], 10, s("1")), obs("b1", [4, 0, 0], 10, s("2"))] });
    expect(links(r.pairs)).toEqual(["a0>b0"]);
    expect(r.pairs[0]!.margin).toBeCloseTo(3, 10);
    expect(r.cost(0, 1)).toBeCloseTo(4 / 25, 10);
    expect(r.margin(0, 1)).toBeCloseTo(3, 10);
  });

  it("links the nearer of two duplicates in the earlier study", () => {
    const r = matchEvidence({ earlier: [obs("a0", [4, 0, 0], 10, s("1")), obs("a1", [0, 0, 0], 10, s("2"))], later: [obs("b0", [0, 0, 0], 10)] });
    expect(links(r.pairs)).toEqual(["a1>b0"]);
    expect(r.pairs[0]!.margin).toBeCloseTo(3, 10);
  });

  it("pairs the members of two duplicate groups one to one, series with series", () => {
    const r = matchEvidence({
      earlier: [obs("a0", [0, 0, 0], 10, s("1")), obs("a1", [4, 0, 0], 10, s("2"))],
      later: [obs("b0", [0, 0, 0], 10, s("1")), obs("b1", [4, 0, 0], 10, s("2"))],
    });
    expect(links(r.pairs)).toEqual(["a0>b0", "a1>b1"]);
    for (const p of r.pairs) expect(p.margin).toBeCloseTo(3, 10);
  });

  it("gives a tie between duplicates to the first member", () => {
    // Normalised: a0 is 0.0625 x 350 mm from both b0 and b1 (exactly equal costs 0.875).
    const r = matchObservations({
      earlier: [obs("a0", [0, 0, 0], 10, { positionNormalized: [0.5, 0.5, 0.5] })],
      later: [
        obs("b0", [0, 0, 0], 10, { positionNormalized: [0.4375, 0.5, 0.5], ...s("1") }),
        obs("b1", [4, 0, 0], 10, { positionNormalized: [0.5625, 0.5, 0.5], ...s("2") }),
      ],
    });
    expect(links(r.pairs)).toEqual(["a0>b0"]);
    expect(r.pairs[0]!.cost).toBeCloseTo(0.875, 10);
  });
});

describe("matchObservations: inliers and ambiguity", () => {
  it("counts an inlier only strictly inside the inlier radius", () => {
    // 100 mm lesions 30 mm apart: no shift costs 30 / 70 ≈ 0.43 < prior of (30, 0, 0) ≈ 0.75.
    const r = matchObservations({ earlier: [obs("a0", [0, 0, 0], 100)], later: [obs("b0", [30, 0, 0], 100)] });
    expect(links(r.pairs)).toEqual(["a0>b0"]);
    expect(r.alignment).toEqual({ shiftMm: [0, 0, 0], inliers: 0, ambiguous: true });
  });

  it("does not count a linked pair farther than the radius as an inlier", () => {
    const r = matchObservations({ earlier: [obs("a0", [0, 0, 0], 100)], later: [obs("b0", [40, 0, 0], 100)] });
    // 40 / 70 ≈ 0.57 < prior(40, 0, 0) = ln 3 ≈ 1.10.
    expect(links(r.pairs)).toEqual(["a0>b0"]);
    expect(r.alignment.inliers).toBe(0);
  });

  it("is not ambiguous with two inliers and no distant shift nearly as good", () => {
    // Best (2, 0, 0): prior ≈ 0.005; no shift costs 2 x 2/25 = 0.16 but lies within the radius;
    // (102, 0, 0) links one pair only: 3 + prior ≫ 0.3.
    const r = matchObservations({
      earlier: [obs("a0", [0, 0, 0], 10), obs("a1", [100, 0, 0], 10)],
      later: [obs("b0", [2, 0, 0], 10), obs("b1", [102, 0, 0], 10)],
    });
    expect(links(r.pairs)).toEqual(["a0>b0", "a1>b1"]);
    expect(r.alignment).toEqual({ shiftMm: [2, 0, 0], inliers: 2, ambiguous: false });
    expect(prior([2, 0, 0])).toBeLessThan(0.16);
  });

  it("is ambiguous when a shift farther than the radius scores within 0.1 x gate of the best", () => {
    // Lesions every 250 mm along z. No shift: 2 pairs at 0, b2 unmatched -> 1.5. Shift (0, 0, 250):
    // 2 pairs at 0, b0 unmatched, prior ln 1.125 ≈ 0.118 -> 1.618, within 0.3 (and beyond 0.1 / gate).
    const r = matchObservations({
      earlier: [obs("a0", [0, 0, 0], 10), obs("a1", [0, 0, 250], 10)],
      later: [obs("b0", [0, 0, 0], 10), obs("b1", [0, 0, 250], 10), obs("b2", [0, 0, 500], 10)],
    });
    expect(links(r.pairs)).toEqual(["a0>b0", "a1>b1"]);
    expect(r.alignment).toEqual({ shiftMm: [0, 0, 0], inliers: 2, ambiguous: true });
    expect(prior([0, 0, 250])).toBeGreaterThan(0.1 / 3);
    expect(prior([0, 0, 250])).toBeLessThan(0.3);
  });

  it("does not count a near-equal shift exactly at the inlier radius as a rival", () => {
    // 400 mm lesions (tolerance 220): best (0, 0, 30) with prior ≈ 0.0018; no shift costs
    // 2 x 30 / 220 ≈ 0.27 (within 0.3) but lies exactly 30 mm away, which is not farther than the radius.
    const r = matchObservations({
      earlier: [obs("a0", [0, 0, 0], 400), obs("a1", [300, 0, 0], 400)],
      later: [obs("b0", [0, 0, 30], 400), obs("b1", [300, 0, 30], 400)],
    });
    expect(links(r.pairs)).toEqual(["a0>b0", "a1>b1"]);
    expect(r.alignment).toEqual({ shiftMm: [0, 0, 30], inliers: 2, ambiguous: false });
  });
});
