import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupHistory, membershipMargin } from "../../../src/domain/matching/association.ts";
import type { HistoryEvidence } from "../../../src/domain/matching/evidence.ts";

/**
 * A history of units given by their study index, with symmetric pairwise evidence
 * (`[u, v, e]` sets e between u and v). Only `units` and `evidence` are read by association.
 */
function history(studyOf: readonly number[], pairs: readonly [number, number, number][]): HistoryEvidence {
  const evidence = studyOf.map(() => new Map<number, number>());
  for (const [u, v, e] of pairs) {
    evidence[u]!.set(v, e);
    evidence[v]!.set(u, e);
  }
  return {
    observations: [],
    unitOf: new Int32Array(0),
    units: studyOf.map((study, i) => ({ study, members: [i] })),
    evidence,
    cost: () => undefined,
    alignments: new Map(),
  };
}

const groups = (ev: HistoryEvidence, must: [number, number][] = [], cannot: [number, number][] = []): number[] => [...groupHistory(ev, must, cannot)];

/**
 * Reference GAEC straight from the doc comment, by exhaustive search at every step: people's
 * links first (in (u, v) order, skipped when they would conflict), then repeatedly the pair of
 * groups with the largest positive summed evidence that does not conflict (two units of one study,
 * or a forbidden pair), ties to the smaller (first unit, second unit). Integer evidence keeps sums exact.
 */
function referenceGroups(studyOf: readonly number[], pairs: readonly [number, number, number][], must: readonly [number, number][], cannot: readonly [number, number][]): number[] {
  const n = studyOf.length;
  const w = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const [u, v, e] of pairs) {
    w[u]![v] = e;
    w[v]![u] = e;
  }
  const group = Array.from({ length: n }, (_, i) => i);
  const membersOf = (g: number): number[] => group.flatMap((h, i) => (h === g ? [i] : []));
  const conflict = (a: number, b: number): boolean => {
    const A = membersOf(a), B = membersOf(b);
    if (A.some((x) => B.some((y) => studyOf[x] === studyOf[y]))) return true;
    return cannot.some(([x, y]) => (A.includes(x) && B.includes(y)) || (A.includes(y) && B.includes(x)));
  };
  const join = (a: number, b: number): void => {
    const [keep, drop] = a < b ? [a, b] : [b, a];
    for (let i = 0; i < n; i++) if (group[i] === drop) group[i] = keep;
  };
  for (const [u, v] of [...must].sort((p, q) => p[0] - q[0] || p[1] - q[1])) {
    const a = group[u]!, b = group[v]!;
    if (a !== b && !conflict(a, b)) join(a, b);
  }
  for (;;) {
    let best: [number, number, number] | null = null;
    const roots = [...new Set(group)].sort((p, q) => p - q);
    for (const a of roots) {
      for (const b of roots) {
        if (b <= a) continue;
        let sum = 0;
        for (const x of membersOf(a)) for (const y of membersOf(b)) sum += w[x]![y]!;
        if (sum <= 0 || conflict(a, b)) continue;
        if (!best || sum > best[0]) best = [sum, a, b];
      }
    }
    if (!best) return group;
    join(best[1], best[2]);
  }
}

describe("groupHistory (GAEC on hand-made evidence)", () => {
  it("joins units with positive evidence and labels each unit with the smallest index of its group", () => {
    // 0 (study 0) - 1 (study 1) - 2 (study 2), evidence 2 and 1: one lesion over three studies.
    expect(groups(history([0, 1, 2], [[0, 1, 2], [1, 2, 1]]))).toEqual([0, 0, 0]);
  });

  it("never joins units on zero or negative evidence", () => {
    expect(groups(history([0, 1], [[0, 1, 0]]))).toEqual([0, 1]);
    expect(groups(history([0, 1], [[0, 1, -1]]))).toEqual([0, 1]);
  });

  it("merges the pair with the most evidence first, so the strongest of two rivals in one study wins", () => {
    // 1 and 2 are both in study 1; 0-2 (3) beats 0-1 (2); afterwards {0,2} with 1 would hold study 1 twice.
    expect(groups(history([0, 1, 1], [[0, 1, 2], [0, 2, 3]]))).toEqual([0, 1, 0]);
    expect(groups(history([0, 1, 1], [[0, 1, 3], [0, 2, 2]]))).toEqual([0, 0, 2]);
  });

  it("breaks equal evidence by the smaller second unit, then by the smaller first unit", () => {
    // (2; 0, 1) before (2; 0, 2): 0 joins 1, then 2 (same study as 1) stays alone.
    expect(groups(history([0, 1, 1], [[0, 1, 2], [0, 2, 2]]))).toEqual([0, 0, 2]);
    // (2; 0, 2) before (2; 1, 2): 0 and 1 share study 0, so 2 joins 0.
    expect(groups(history([0, 0, 1], [[0, 2, 2], [1, 2, 2]]))).toEqual([0, 1, 0]);
    // (1; 0, 3) before (1; 1, 2) before (1; 1, 3): 3 joins 0, then 2 joins 1; {1,2} with {0,3} would
    // hold study 0 twice. Taking (1; 1, 3) first would have left 2 alone.
    expect(groups(history([0, 0, 1, 1], [[0, 3, 1], [1, 2, 1], [1, 3, 1]]))).toEqual([0, 1, 1, 0]);
  });

  it("adds up evidence between groups: a link the group as a whole contradicts is not made", () => {
    // 0-1 (5) merge first; {0,1} with 2 sums 3 + (-4) = -1, so 2 stays alone although 0-2 alone was positive.
    expect(groups(history([0, 1, 2], [[0, 1, 5], [0, 2, 3], [1, 2, -4]]))).toEqual([0, 0, 2]);
    // ... and a sum of exactly 0 is no evidence either: 3 + (-3).
    expect(groups(history([0, 1, 2], [[0, 1, 5], [0, 2, 3], [1, 2, -3]]))).toEqual([0, 0, 2]);
    // ... while a weak negative link is outweighed: 3 + (-2) = 1 > 0.
    expect(groups(history([0, 1, 2], [[0, 1, 5], [0, 2, 3], [1, 2, -2]]))).toEqual([0, 0, 0]);
  });

  it("rejoins a lesion missed in one study through the studies around the gap", () => {
    // Units 0 (study 0) and 2 (study 2) had their own weak link 1 that the 0-1 link would not
    // have made by itself; with 1 (study 1) and 3 (study 3) in between all four end up together.
    expect(groups(history([0, 1, 2, 3], [[0, 1, 2], [1, 3, 2], [0, 2, 1], [2, 3, 2]]))).toEqual([0, 0, 0, 0]);
  });

  it("does not join a group holding two units of one study, even with positive summed evidence", () => {
    // 0 (study 0) joins 1 (study 1) first (4); {0,1} with 2 (study 1) sums 3 + 3 = 6 > 0 but 2 shares study 1 with 1.
    expect(groups(history([0, 1, 1], [[0, 1, 4], [0, 2, 3]]))).toEqual([0, 0, 2]);
    expect(groups(history([0, 1, 1, 2], [[0, 1, 4], [0, 2, 3], [2, 3, 1], [1, 3, 1]]))).toEqual([0, 0, 2, 0]);
  });
});

describe("groupHistory (people's links)", () => {
  it("joins a must-link against the evidence, and labels by the smallest index whatever the link's order", () => {
    expect(groups(history([0, 1], [[0, 1, -3]]), [[1, 0]])).toEqual([0, 0]);
    expect(groups(history([0, 1, 2], [[0, 2, -3], [1, 2, -3]]), [[2, 0]])).toEqual([0, 1, 0]);
  });

  it("keeps the evidence of a must-linked group for later merges", () => {
    // must 0-1; then {0,1} with 2 sums 1 + 1 = 2 > 0 -> one group. A repeated link changes nothing.
    const ev = (): HistoryEvidence => history([0, 1, 2], [[0, 2, 1], [1, 2, 1]]);
    expect(groups(ev(), [[0, 1]])).toEqual([0, 0, 0]);
    expect(groups(ev(), [[0, 1], [0, 1]])).toEqual([0, 0, 0]);
    expect(groups(ev(), [[0, 1], [1, 0]])).toEqual([0, 0, 0]);
  });

  it("skips a must-link that would put two units of one study together", () => {
    expect(groups(history([0, 0], []), [[0, 1]])).toEqual([0, 1]);
  });

  it("applies must-links in (u, v) order: the first of two rival links wins", () => {
    // 1 and 2 share study 1: whichever link comes first in (u, v) order is made, the other conflicts.
    expect(groups(history([0, 1, 1], []), [[0, 2], [0, 1]])).toEqual([0, 0, 2]);
    expect(groups(history([0, 1, 1], []), [[1, 0], [0, 2]])).toEqual([0, 1, 0]);
    // equal first unit: ordered by the second one
    expect(groups(history([0, 1, 1, 2], []), [[3, 2], [3, 1]])).toEqual([0, 1, 2, 1]);
  });

  it("never joins a cannot-link pair, not even through a third unit", () => {
    expect(groups(history([0, 1], [[0, 1, 5]]), [], [[0, 1]])).toEqual([0, 1]);
    // 0-1 (5) and 1-2 (4) are both good, but 0 and 2 are forbidden: {0,1} stays apart from 2.
    expect(groups(history([0, 1, 2], [[0, 1, 5], [1, 2, 4], [0, 2, 1]]), [], [[2, 0]])).toEqual([0, 0, 2]);
    // a forbidden pair wins over a must-link
    expect(groups(history([0, 1], [[0, 1, 5]]), [[0, 1]], [[0, 1]])).toEqual([0, 1]);
  });

  it("checks the cannot-links of every member and every partner of a member", () => {
    // {0,1} (must) and {2,3} (must); 1 and 3 are forbidden. Evidence 0-2 strongly positive.
    const ev = history([0, 1, 2, 3], [[0, 2, 9], [1, 3, 1], [0, 3, 1], [1, 2, 1]]);
    expect(groups(ev, [[0, 1], [2, 3]], [[1, 3]])).toEqual([0, 0, 2, 2]);
    // 0 may meet neither 3 nor 4 (4 has no evidence at all). 0-1 (3) first; {0,1} with 2 sums 3 + 1 = 4;
    // {0,1,2} with 3 sums 1 + 1 + 3 = 5 but holds 0, forbidden with 3, although 4 is not there.
    const ev2 = history([0, 1, 2, 3, 4], [[0, 1, 3], [1, 2, 3], [2, 3, 3], [0, 2, 1], [0, 3, 1], [1, 3, 1]]);
    expect(groups(ev2, [], [[0, 3], [0, 4]])).toEqual([0, 0, 0, 3, 4]);
  });
});

describe("groupHistory (property: matches the greedy definition)", () => {
  const scenario = fc
    .record({
      studies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2, maxLength: 5 }),
      seed: fc.array(fc.integer({ min: -3, max: 5 }), { minLength: 200, maxLength: 200 }),
      links: fc.array(fc.tuple(fc.nat(40), fc.nat(40), fc.boolean()), { maxLength: 4 }),
    })
    .map(({ studies, seed, links }) => {
      const studyOf = studies.flatMap((count, s) => new Array<number>(count).fill(s));
      const pairs: [number, number, number][] = [];
      let k = 0;
      for (let u = 0; u < studyOf.length; u++) {
        for (let v = u + 1; v < studyOf.length; v++) {
          if (studyOf[u] === studyOf[v]) continue;
          const e = seed[k++ % seed.length]!;
          if (e !== 5) pairs.push([u, v, e]); // 5 stands for "no verdict between these units"
        }
      }
      const n = studyOf.length;
      const must: [number, number][] = [];
      const cannot: [number, number][] = [];
      for (const [x, y, isMust] of links) {
        const u = x % n, v = y % n;
        if (u !== v) (isMust ? must : cannot).push([u, v]);
      }
      return { studyOf, pairs, must, cannot };
    });

  it("gives the same groups as an exhaustive greedy search", () => {
    fc.assert(
      fc.property(scenario, ({ studyOf, pairs, must, cannot }) => {
        expect(groups(history(studyOf, pairs), must, cannot)).toEqual(referenceGroups(studyOf, pairs, must, cannot));
      }),
      { numRuns: 300 },
    );
  });
});

describe("membershipMargin", () => {
  // units 0 (study 0), 1 (study 1), 2 (study 2), 3 (study 2); groups {0, 1, 2} and {3}.
  const ev = history([0, 1, 2, 2], [[0, 2, 2], [1, 2, 1.5], [2, 3, -1], [0, 3, 0.5], [1, 3, 1]]);
  const groupOf = Int32Array.from([0, 0, 0, 3]);

  it("is the summed evidence with its own group minus the best other group", () => {
    // unit 0: own {1,2} -> 2 (no verdict with 1); others: group 3 -> 0.5. Margin 2 - 0.5 = 1.5.
    expect(membershipMargin(ev, groupOf, 0)).toBe(1.5);
    // unit 3: own group has no other member -> 0; others: group 0 -> -1 + 0.5 + 1 = 0.5. Margin 0 - 0.5 = -0.5.
    expect(membershipMargin(ev, groupOf, 3)).toBe(-0.5);
  });

  it("compares with 0 (a lesion of its own) when every other group has negative evidence", () => {
    // unit 2: own 2 + 1.5 = 3.5; others: group 3 -> -1, below 0 -> alt 0. Margin 3.5.
    expect(membershipMargin(ev, groupOf, 2)).toBe(3.5);
  });

  it("takes the largest of several other groups", () => {
    // unit 0 (study 0) with own group {0, 1}; other groups {2} (evidence 1) and {3} (evidence 4), own link 3.
    const ev2 = history([0, 1, 2, 3], [[0, 1, 3], [0, 2, 1], [0, 3, 4]]);
    // own 3; alternatives 1 and 4 -> 4; margin 3 - 4 = -1.
    expect(membershipMargin(ev2, Int32Array.from([0, 0, 2, 3]), 0)).toBe(-1);
    // and with the order of the alternatives reversed (4 then 1) the same.
    const ev3 = history([0, 1, 2, 3], [[0, 1, 3], [0, 3, 4], [0, 2, 1]]);
    expect(membershipMargin(ev3, Int32Array.from([0, 0, 2, 3]), 0)).toBe(-1);
  });
});
