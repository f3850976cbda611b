import { describe, expect, it } from "vitest";
import type { Vec3 } from "../../../src/domain/geometry.ts";
import type { Observation, StudyForDomain } from "../../../src/domain/observation.ts";
import { deriveTracks } from "../../../src/domain/matching/tracks.ts";
import { MATCHER_CONFIG } from "../../../src/domain/matching/weights.ts";
import { obs } from "./helpers.ts";

/*
 * Worked with MATCHER_CONFIG: gate 3, evidence window 2; a study-pair verdict is the pair's
 * margin (best alternative, at most the gate, minus its cost) clipped to [-3, 3] and divided by
 * the study gap. Track link confidence = sigma(margin) (trackConfidence: 0, 0, 1).
 */
const sigma = (z: number): number => 1 / (1 + Math.exp(-z));
const st = (key: string, timeDays: number, observations: Observation[]): StudyForDomain => ({ key, timeDays, observations });
const o = (id: string, p: Vec3, size = 10, extra: Partial<Observation> = {}): Observation => obs(id, p, size, extra);
const series = (s: string) => ({ source: { series: s } });
const paths = (d: ReturnType<typeof deriveTracks>): string[][] => d.tracks.map((t) => t.observations.map((x) => x.observationId));
const link = (d: ReturnType<typeof deriveTracks>, to: string) => d.links.find((l) => l.toObservationId === to)!;

describe("deriveTracks: order of studies and observations", () => {
  it("orders studies of the same day by key", () => {
    const d = deriveTracks({ studies: [st("b", 5, [o("y", [0, 0, 0])]), st("a", 5, [o("x", [0, 0, 0])])] });
    expect(paths(d)).toEqual([["x", "y"]]);
    expect(d.tracks[0]!.observations.map((x) => x.studyKey)).toEqual(["a", "b"]);
    expect(d.alignments.map((a) => `${a.fromStudyKey}>${a.toStudyKey}`)).toEqual(["a>b"]);
  });

  it("orders studies by time before key", () => {
    const d = deriveTracks({ studies: [st("a", 10, [o("y", [0, 0, 0])]), st("b", 0, [o("x", [0, 0, 0])])] });
    expect(paths(d)).toEqual([["x", "y"]]);
    expect(d.alignments.map((a) => `${a.fromStudyKey}>${a.toStudyKey}`)).toEqual(["b>a"]);
  });

  it("labels baseline tracks by observation id, whatever the input order", () => {
    const d = deriveTracks({ studies: [st("s0", 0, [o("c", [0, 0, 200]), o("a", [0, 0, 0]), o("b", [0, 0, 100])])] });
    expect(d.tracks.map((t) => `${t.label}:${t.trackId}`)).toEqual(["T01:trk_a", "T02:trk_b", "T03:trk_c"]);
  });
});

describe("deriveTracks: events", () => {
  it("reports a lesion as vanished once, in the first study it is missing from", () => {
    const d = deriveTracks({
      studies: [st("s0", 0, [o("a0", [0, 0, 0]), o("a1", [200, 0, 0])]), st("s1", 1, [o("b0", [0, 0, 0])]), st("s2", 2, [o("c0", [0, 0, 0])])],
    });
    expect(paths(d)).toEqual([["a0", "b0", "c0"], ["a1"]]);
    expect(d.events).toEqual([{ studyKey: "s1", type: "vanished", trackIds: ["trk_a1"], observationIds: ["a1"] }]);
  });
});

describe("deriveTracks: constraints that name unknown observations", () => {
  it("ignores pairs with an id that is in no study", () => {
    const studies = [st("s0", 0, [o("a0", [0, 0, 0])]), st("s1", 1, [o("b0", [0, 0, 0])])];
    const plain = deriveTracks({ studies });
    const d = deriveTracks({ studies, constraints: { mustLink: [["a0", "ghost"], ["ghost", "b0"]], cannotLink: [["ghost", "a0"], ["b0", "ghost"]] } });
    expect(d).toEqual(plain);
  });
});

describe("deriveTracks: link cost, margin and confidence", () => {
  it("costs a link under its study pair's alignment, not at no shift", () => {
    // Study 1 is moved 50 mm along z and lesions grow 10 mm -> 12 mm: aligned cost is the size
    // term 1.5 ln 1.2 only (no shift would add 50 / 25.5 per pair).
    const d = deriveTracks({
      studies: [st("s0", 0, [o("a0", [0, 0, 0]), o("a1", [100, 0, 0])]), st("s1", 1, [o("b0", [0, 0, 50], 12), o("b1", [100, 0, 50], 12)])],
    });
    expect(paths(d)).toEqual([["a0", "b0"], ["a1", "b1"]]);
    expect(d.alignments[0]!.shiftMm).toEqual([0, 0, 50]);
    for (const id of ["b0", "b1"]) expect(link(d, id).cost).toBeCloseTo(1.5 * Math.log(1.2), 10);
  });

  it("keeps a cannotLink out of the whole-history grouping, which the link margin shows", () => {
    // One lesion at one place in 3 studies; a person says a0 and c0 differ. Verdicts: a0-b0 +3,
    // b0-c0 +3, a0-c0 forbidden -> -3 / 2. Groups {a0, b0}, {c0}: b0's margin = 3 (own group) - 3 (c0's) = 0.
    const d = deriveTracks({
      studies: [st("s0", 0, [o("a0", [0, 0, 0])]), st("s1", 1, [o("b0", [0, 0, 0])]), st("s2", 2, [o("c0", [0, 0, 0])])],
      constraints: { cannotLink: [["a0", "c0"]] },
    });
    expect(paths(d)).toEqual([["a0", "b0"], ["c0"]]);
    expect(link(d, "b0")).toEqual({ fromObservationId: "a0", toObservationId: "b0", cost: expect.closeTo(0, 10), confidence: 0.5, margin: 0, source: "matcher" });
    expect(d.events).toEqual([
      { studyKey: "s2", type: "new", trackIds: ["trk_c0"], observationIds: ["c0"] },
      { studyKey: "s2", type: "vanished", trackIds: ["trk_a0"], observationIds: ["b0"] },
    ]);
  });

  it("carries a mustLink into the whole-history evidence and grouping", () => {
    // Lesions L0 at x = 0 and L1 at x = 200 in 3 studies; a person links a0 (L0) to b1 (L1).
    // Study pair a-b (forced, best shift (200, 0, 0)): a0-b1 +3, every other pair -3.
    // b-c and a-c (no constraint): same-lesion pairs +3 and +3/2, others -3 and -3/2.
    // Groups: {a0, b1} first, then {b0, c0} (+3), then {a0, b1} + c1 (3 - 1.5 = 1.5; ties with
    // a1 + c1 go to the smaller unit). c1's margin: own group 3 - 1.5, best other {a1} 1.5 -> 0.
    // b1's margin: own group 3 + 3 = 6, the others -3.
    const d = deriveTracks({
      studies: [
        st("s0", 0, [o("a0", [0, 0, 0]), o("a1", [200, 0, 0])]),
        st("s1", 1, [o("b0", [0, 0, 0]), o("b1", [200, 0, 0])]),
        st("s2", 2, [o("c0", [0, 0, 0]), o("c1", [200, 0, 0])]),
      ],
      constraints: { mustLink: [["a0", "b1"]] },
    });
    expect(paths(d)).toEqual([["a0", "b1", "c1"], ["a1"], ["b0", "c0"]]);
    expect(link(d, "b1")).toMatchObject({ fromObservationId: "a0", source: "person", confidence: 1, margin: 6 });
    expect(link(d, "b1").cost).toBeCloseTo(0, 6);
    expect(link(d, "c1")).toMatchObject({ fromObservationId: "b1", source: "matcher", margin: 0, confidence: 0.5 });
    expect(link(d, "c0")).toMatchObject({ fromObservationId: "b0", source: "matcher", margin: 3, confidence: sigma(3) });
  });

  it("costs a person's link beyond the evidence window at no shift", () => {
    // L0 seen in studies 0 and 3 only (gap bridging off): a0 -> d0 is 10 mm at no shift: 10 / 25 = 0.4.
    const d = deriveTracks({
      studies: [
        st("s0", 0, [o("a0", [0, 0, 0]), o("a1", [200, 0, 0])]),
        st("s1", 1, [o("b1", [200, 0, 0])]),
        st("s2", 2, [o("c1", [200, 0, 0])]),
        st("s3", 3, [o("d0", [10, 0, 0]), o("d1", [200, 0, 0])]),
      ],
      constraints: { mustLink: [["a0", "d0"]] },
      config: { ...MATCHER_CONFIG, gapBridgeStudies: MATCHER_CONFIG.evidenceWindow },
    });
    expect(paths(d)).toEqual([["a0", "d0"], ["a1", "b1", "c1", "d1"]]);
    expect(link(d, "d0")).toMatchObject({ fromObservationId: "a0", source: "person", confidence: 1 });
    expect(link(d, "d0").cost).toBeCloseTo(0.4, 10);
    expect(d.events).toEqual([
      { studyKey: "s1", type: "vanished", trackIds: ["trk_a0"], observationIds: ["a0"] },
      { studyKey: "s3", type: "reappeared", trackIds: ["trk_a0"], observationIds: ["d0"] },
    ]);
  });

  it("records a person's link from the older observation they named", () => {
    const d = deriveTracks({
      studies: [st("s0", 0, [o("a0", [0, 0, 0])]), st("s1", 1, [o("b0", [0, 0, 0])]), st("s2", 2, [o("c0", [0, 0, 0])])],
      constraints: { mustLink: [["a0", "c0"]] },
    });
    expect(paths(d)).toEqual([["a0", "b0", "c0"]]);
    expect(link(d, "b0")).toMatchObject({ fromObservationId: "a0", source: "matcher" });
    expect(link(d, "c0")).toMatchObject({ fromObservationId: "a0", source: "person", confidence: 1 });
  });
});

describe("deriveTracks: tracks ended by a merge or split stay ended", () => {
  it("continues the children of a split, not its parent", () => {
    const d = deriveTracks({
      studies: [
        st("s0", 0, [o("a0", [0, 0, 0])]),
        st("s1", 1, [o("b0", [0, 0, 0]), o("b1", [15, 0, 0])]),
        st("s2", 2, [o("c0", [0, 0, 0]), o("c1", [15, 0, 0])]),
      ],
      constraints: { mustLink: [["a0", "b0"], ["a0", "b1"]] },
    });
    expect(d.tracks.map((t) => t.label)).toEqual(["T01", "T01.1", "T01.2"]);
    expect(paths(d)).toEqual([["a0"], ["b0", "c0"], ["b1", "c1"]]);
    expect(d.events).toEqual([{ studyKey: "s1", type: "split", trackIds: ["trk_a0", "trk_b0", "trk_b1"], observationIds: ["a0", "b0", "b1"] }]);
    for (const id of ["b0", "b1"]) expect(link(d, id)).toMatchObject({ fromObservationId: "a0", source: "person", confidence: 1 });
    for (const id of ["c0", "c1"]) expect(link(d, id).source).toBe("matcher");
  });

  it("continues the child of a merge, not its parents, and reports no parent as vanished", () => {
    const d = deriveTracks({
      studies: [
        st("s0", 0, [o("a0", [0, 0, 0]), o("a1", [15, 0, 0])]),
        st("s1", 1, [o("b0", [0, 0, 0])]),
        st("s2", 2, [o("c0", [0, 0, 0])]),
      ],
      constraints: { mustLink: [["a0", "b0"], ["a1", "b0"]] },
    });
    expect(d.tracks.map((t) => t.label)).toEqual(["T01", "T02", "T01/T02"]);
    expect(paths(d)).toEqual([["a0"], ["a1"], ["b0", "c0"]]);
    expect(d.events).toEqual([{ studyKey: "s1", type: "merge", trackIds: ["trk_a0", "trk_a1", "trk_b0"], observationIds: ["a0", "a1", "b0"] }]);
    expect(d.links.map((l) => `${l.fromObservationId}>${l.toObservationId}:${l.source}`)).toEqual(["a0>b0:person", "a1>b0:person", "b0>c0:matcher"]);
  });
});

describe("deriveTracks: a lesion measured on several series", () => {
  it("continues each series' track with its cheapest partner first", () => {
    // a0/a1 and b0/b1 are one lesion each (3 mm apart, series 1 and 2), crossed over:
    // a0-b1 and a1-b0 cost 0, a0-b0 and a1-b1 cost 3 / 25 = 0.12.
    const d = deriveTracks({
      studies: [
        st("s0", 0, [o("a0", [0, 0, 0], 10, series("1")), o("a1", [3, 0, 0], 10, series("2"))]),
        st("s1", 1, [o("b0", [3, 0, 0], 10, series("1")), o("b1", [0, 0, 0], 10, series("2"))]),
      ],
    });
    expect(paths(d)).toEqual([["a0", "b1"], ["a1", "b0"]]);
    expect(d.links).toHaveLength(2);
    expect(d.events).toEqual([]);
  });

  it("breaks equal costs by observation id, then track id", () => {
    // b0 and b1 sit at the same place, 2 mm from a0 and from a1: four equal costs 2 / 25.
    const d = deriveTracks({
      studies: [
        st("s0", 0, [o("a0", [0, 0, 0], 10, series("1")), o("a1", [4, 0, 0], 10, series("2"))]),
        st("s1", 1, [o("b0", [2, 0, 0], 10, series("1")), o("b1", [2, 0, 0], 10, series("2"))]),
      ],
    });
    expect(paths(d)).toEqual([["a0", "b0"], ["a1", "b1"]]);
    for (const l of d.links) expect(l.cost).toBeCloseTo(2 / 25, 10);
  });

  it("starts a new track for the second series when only one track can continue", () => {
    const d = deriveTracks({
      studies: [st("s0", 0, [o("a0", [0, 0, 0])]), st("s1", 1, [o("b0", [0, 0, 0], 10, series("1")), o("b1", [4, 0, 0], 10, series("2"))])],
    });
    expect(paths(d)).toEqual([["a0", "b0"], ["b1"]]);
    expect(d.links).toHaveLength(1);
    expect(d.events).toEqual([{ studyKey: "s1", type: "new", trackIds: ["trk_b1"], observationIds: ["b1"] }]);
  });
});
