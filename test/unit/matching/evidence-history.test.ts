import { describe, expect, it } from "vitest";
import type { Vec3 } from "../../../src/domain/geometry.ts";
import type { Observation, StudyForDomain } from "../../../src/domain/observation.ts";
import { type HistoryEvidence, historyEvidence } from "../../../src/domain/matching/evidence.ts";
import { MATCHER_CONFIG, type MatcherConfig } from "../../../src/domain/matching/weights.ts";
import { obs } from "./helpers.ts";

/**
 * Observations in normalised body coordinates, all 20 mm long: no shift is searched, the size
 * term is 0, and a pair cost is just |Δ · bodySize| / tolerance with bodySize (350, 250, 900) mm
 * and tolerance 20 + 0.5 · 20 = 30 mm. Gate 3: a margin is clipped to [-3, 3].
 */
const at = (id: string, p: Vec3): Observation => obs(id, [0, 0, 0], 20, { positionMm: null, positionNormalized: p });
const A: Vec3 = [0.25, 0.5, 0.25];
const B: Vec3 = [0.75, 0.5, 0.75];
const C: Vec3 = [0.5, 0.5, 0.5];
// A-B: hypot(0.5·350, 0.5·900) / 30 = hypot(175, 450) / 30 ≈ 16.1; A-C and B-C: hypot(87.5, 225) / 30 ≈ 8.05.
// Both exceed 2 · gate, so a verdict between different lesions is always clipped to -3.
const COST_AB = Math.hypot(175, 450) / 30;
const COST_AC = Math.hypot(87.5, 225) / 30;

const studies = (...obsPerStudy: Observation[][]): StudyForDomain[] => obsPerStudy.map((observations, k) => ({ key: `s${k}`, timeDays: 30 * k, observations }));

/** Window 1, gap bridging up to 3 studies back. */
const BRIDGING: MatcherConfig = { ...MATCHER_CONFIG, evidenceWindow: 1, gapBridgeStudies: 3 };
const none = { mustLink: [] as [string, string][], cannotLink: [] as [string, string][] };

/** Evidence as plain sorted [unit, verdict] lists, per unit. */
const verdicts = (ev: HistoryEvidence): [number, number][][] => ev.evidence.map((m) => [...m].sort((p, q) => p[0] - q[0]));
const studyPairs = (ev: HistoryEvidence): string[] => [...ev.alignments.keys()].sort();

describe("historyEvidence: units and verdicts inside the window", () => {
  it("makes one unit per observation (no duplicates), in study order", () => {
    const ev = historyEvidence(studies([at("a0", A), at("b0", B)], [at("a1", A)]), MATCHER_CONFIG, none);
    expect(ev.observations.map((o) => o.id)).toEqual(["a0", "b0", "a1"]);
    expect(ev.units).toEqual([
      { study: 0, members: [0] },
      { study: 0, members: [1] },
      { study: 1, members: [2] },
    ]);
    expect([...ev.unitOf]).toEqual([0, 1, 2]);
  });

  it("records the clipped margin divided by the study gap", () => {
    // Window 2, lesion A in three studies at the same place (cost 0). Each 1 x 1 study pair has
    // only the gate as alternative: margin 3 - 0 = 3. Gap 1 -> 3, gap 2 -> 3 / 2 = 1.5.
    const ev = historyEvidence(studies([at("a0", A)], [at("a1", A)], [at("a2", A)]), MATCHER_CONFIG, none);
    expect(verdicts(ev)).toEqual([
      [[1, 3], [2, 1.5]],
      [[0, 3], [2, 3]],
      [[0, 1.5], [1, 3]],
    ]);
  });

  it("clips the verdict of a poor pair to -gate", () => {
    // B0 vs A1: alternative A0-A1 costs 0, so margin 0 - 16.1 -> clipped to -3.
    const ev = historyEvidence(studies([at("a0", A), at("b0", B)], [at("a1", A)]), MATCHER_CONFIG, none);
    expect(verdicts(ev)).toEqual([[[2, 3]], [[2, -3]], [[0, 3], [1, -3]]]);
  });

  it("takes a cannot-link (in either order) as a forbidden pair", () => {
    // a0-a1 forbidden: its cost is infinite -> verdict -3; a0-a2 (gap 2) and a1-a2 keep theirs.
    const ev = historyEvidence(studies([at("a0", A)], [at("a1", A)], [at("a2", A)]), MATCHER_CONFIG, { mustLink: [], cannotLink: [["a1", "a0"]] });
    expect(verdicts(ev)[0]).toEqual([[1, -3], [2, 1.5]]);
  });

  it("takes a must-link (in either order) as a forced pair, whose cost stays its real cost", () => {
    const plain = historyEvidence(studies([at("a0", A), at("b0", B)], [at("a1", A), at("b1", B)]), MATCHER_CONFIG, none);
    const forced = historyEvidence(studies([at("a0", A), at("b0", B)], [at("a1", A), at("b1", B)]), MATCHER_CONFIG, { mustLink: [["b1", "a0"]], cannotLink: [] });
    // a0 -> b1 without the link: alternative a0-a1 (0) -> 0 - 16.1 -> -3; forced, it beats everything -> +3.
    expect(plain.evidence[0]!.get(3)).toBe(-3);
    expect(forced.evidence[0]!.get(3)).toBe(3);
    expect(forced.cost(0, 3)).toBeCloseTo(COST_AB, 6);
    expect(plain.cost(0, 3)).toBeCloseTo(COST_AB, 6);
  });
});

describe("historyEvidence: pair cost", () => {
  const ev = historyEvidence(studies([at("a0", A)], [at("a1", A), at("c1", C)], [at("c2", C)]), BRIDGING, none);

  it("gives the pair cost of observations of studies within the window, in either argument order", () => {
    expect(ev.cost(0, 1)).toBe(0);
    expect(ev.cost(1, 0)).toBe(0);
    expect(ev.cost(0, 2)).toBeCloseTo(COST_AC, 9);
    expect(ev.cost(2, 0)).toBeCloseTo(COST_AC, 9);
    // study pair (1, 2): c1-c2 is 0, a1-c2 is A-C
    expect(ev.cost(2, 3)).toBe(0);
    expect(ev.cost(3, 2)).toBe(0);
    expect(ev.cost(3, 1)).toBeCloseTo(COST_AC, 9);
  });

  it("is undefined beyond the window and inside one study", () => {
    // window 1 and nothing to bridge (a0 continues in study 1): studies 0 and 2 were never matched.
    expect(ev.cost(0, 3)).toBeUndefined();
    expect(ev.cost(3, 0)).toBeUndefined();
    expect(ev.cost(1, 2)).toBeUndefined();
    expect(studyPairs(ev)).toEqual(["0:1", "1:2"]);
  });
});

describe("historyEvidence: gap bridging", () => {
  it("matches a lesion that ends with one that starts beyond the window, and only such unit pairs", () => {
    // s0: A, B   s1: A   s2: C   s3: B, C   (window 1, reach 3)
    // units u0 A0, u1 B0, u2 A1, u3 C2, u4 B3, u5 C3.
    // Window verdicts: A0-A1 3, B0-A1 -3, A1-C2 -3, C2-B3 -3, C2-C3 3.
    // "ends" (study + 1 < 3, no positive verdict towards later): B0, A1 (A0 goes on as A1).
    // "starts" (study > 1, no positive verdict towards earlier): C2, B3 (C3 goes on from C2).
    // Bridged study pairs: (0,2) for B0-C2; (0,3) for B0-B3; (1,3) for A1-B3.
    //   B0-C2: alternative A0-C2 8.05 capped by the gate 3 -> 3 - 8.05 -> -3, gap 2 -> -1.5
    //   B0-B3: cost 0, alternatives B0-C3 8.05, A0-B3 16.1, gate 3 -> 3, gap 3 -> 1
    //   A1-B3: cost 16.1 -> -3, gap 2 -> -1.5
    const ev = historyEvidence(studies([at("a0", A), at("b0", B)], [at("a1", A)], [at("c2", C)], [at("b3", B), at("c3", C)]), BRIDGING, none);
    expect(ev.units.map((u) => u.study)).toEqual([0, 0, 1, 2, 3, 3]);
    expect(verdicts(ev)).toEqual([
      [[2, 3]],
      [[2, -3], [3, -1.5], [4, 1]],
      [[0, 3], [1, -3], [3, -3], [4, -1.5]],
      [[1, -1.5], [2, -3], [4, -3], [5, 3]],
      [[1, 1], [2, -1.5], [3, -3]],
      [[3, 3]],
    ]);
    expect(studyPairs(ev)).toEqual(["0:1", "0:2", "0:3", "1:2", "1:3", "2:3"]);
    // bridged study pairs get a pair cost too
    expect(ev.cost(1, 4)).toBe(0);
    expect(ev.cost(4, 1)).toBe(0);
    expect(ev.cost(2, 4)).toBeCloseTo(COST_AB, 9);
    // a unit that neither ends nor starts gets nothing from a bridged pair: A0 and C3
    expect(ev.evidence[0]!.has(5)).toBe(false);
  });

  it("does not match a study pair beyond the window when no unit of the earlier study ends", () => {
    // s0: A  s1: A  s2: B. B2 starts, but A0 goes on as A1: nothing to bridge from study 0.
    const ev = historyEvidence(studies([at("a0", A)], [at("a1", A)], [at("b2", B)]), BRIDGING, none);
    expect(studyPairs(ev)).toEqual(["0:1", "1:2"]);
    expect(verdicts(ev)).toEqual([[[1, 3]], [[0, 3], [2, -3]], [[1, -3]]]);
  });

  it("does not match a study pair beyond the window when no unit of the later study starts", () => {
    // s0: B  s1: A  s2: A. B0 ends, but A2 goes on from A1: nothing to bridge to study 2.
    const ev = historyEvidence(studies([at("b0", B)], [at("a1", A)], [at("a2", A)]), BRIDGING, none);
    expect(studyPairs(ev)).toEqual(["0:1", "1:2"]);
    expect(verdicts(ev)).toEqual([[[1, -3]], [[0, -3], [2, 3]], [[1, 3]]]);
  });

  it("counts only a strictly positive verdict as going on", () => {
    // s0: A  s1: X, Y (A ± 2^-6 in x, exactly mirrored)  s2: A. Every window verdict is a tie:
    // A0-X costs c, its alternative A0-Y costs c too -> margin 0 (likewise towards A2).
    // A0 has no positive verdict towards later, A2 none towards earlier: (0,2) is bridged,
    // A0-A2 costs 0 with only the gate as alternative -> 3, gap 2 -> 1.5.
    const d = 2 ** -6;
    const ev = historyEvidence(
      studies([at("a0", C)], [at("x1", [C[0] + d, C[1], C[2]]), at("y1", [C[0] - d, C[1], C[2]])], [at("a2", C)]),
      BRIDGING,
      none,
    );
    expect(verdicts(ev)[0]).toEqual([[1, 0], [2, 0], [3, 1.5]]);
  });
});
