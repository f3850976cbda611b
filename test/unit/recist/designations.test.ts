// Proposed targets (spec §3.1, §3.2) at their boundaries: sizes exactly at each minimum, ranking and ties.
import { describe, expect, it } from "vitest";
import { inputFromTracks, proposeDesignations, type TrackForRecist } from "../../../src/domain/recist/from-tracks.ts";
import { DEFAULT_PARAMS } from "../../../src/domain/recist/protocol.ts";

const track = (trackId: string, organ: string, nodal = false): TrackForRecist => ({ trackId, organ, nodal, sizes: {} });
const targets = (lesions: [TrackForRecist, number][], sliceMm = 5): string[] =>
  proposeDesignations(lesions.map(([t, d]) => ({ track: t, d })), DEFAULT_PARAMS, sliceMm).filter((x) => x.role === "target").map((x) => x.trackId).sort();

describe("proposeDesignations: measurability (§3.1; minMeasurableMm 10, minTargetNodeMm 15)", () => {
  it("a lesion exactly 10.0 mm long is a target; 9.9 mm is not", () => {
    expect(targets([[track("a", "liver"), 10.0], [track("b", "lung"), 9.9]])).toEqual(["a"]);
  });

  it("a node exactly 15.0 mm on its short axis is a target; 14.9 mm is not", () => {
    expect(targets([[track("n1", "lymph node", true), 15.0], [track("n2", "lymph node", true), 14.9]])).toEqual(["n1"]);
  });

  it("slices of exactly 5 mm keep the 10 mm minimum; thicker slices need twice the thickness", () => {
    expect(targets([[track("a", "liver"), 10.0]], 5)).toEqual(["a"]);
    expect(targets([[track("a", "liver"), 11.9], [track("b", "lung"), 12.0]], 6)).toEqual(["b"]);
  });
});

describe("proposeDesignations: ranking (§3.2; at most 2 per organ, 5 in total)", () => {
  it("takes the largest per organ whatever the input order", () => {
    expect(targets([[track("a", "liver"), 30], [track("b", "liver"), 20], [track("c", "liver"), 40]])).toEqual(["a", "c"]);
  });

  it("breaks ties of size by track id", () => {
    expect(targets([[track("c", "liver"), 20], [track("b", "liver"), 20], [track("a", "liver"), 20]])).toEqual(["a", "b"]);
  });

  it("keeps every baseline lesion, the rest as non-targets, in input order", () => {
    const d = proposeDesignations([30, 20, 40].map((x, i) => ({ track: track(`t${i}`, "liver"), d: x })), DEFAULT_PARAMS, 5);
    expect(d).toEqual([{ trackId: "t0", role: "target" }, { trackId: "t1", role: "non-target" }, { trackId: "t2", role: "target" }]);
  });
});

describe("inputFromTracks: which baseline nodes are disease (§3.1: short axis >= 10 mm)", () => {
  const studies = [{ key: "s0", date: "2024-01-01" }];
  const node = (trackId: string, sa: number): TrackForRecist => ({ trackId, organ: "lymph node", nodal: true, sizes: { s0: { longAxisMm: sa + 5, shortAxisMm: sa } } });
  const liver: TrackForRecist = { trackId: "L", organ: "liver", nodal: false, sizes: { s0: { longAxisMm: 30, shortAxisMm: 20 } } };

  it("records a node of exactly 10.0 mm as a non-target, and none of 9.9 mm (proposed roles)", () => {
    const { input } = inputFromTracks({ studies, tracks: [liver, node("N10", 10.0), node("N9", 9.9)] });
    expect(input.baseline.nonTargets.map((n) => n.id)).toEqual(["N10"]);
  });

  it("with a person's designations: a node designated target is kept even when small; other disease becomes non-target", () => {
    const { input, designations } = inputFromTracks({ studies, tracks: [liver, node("N10", 10.0), node("N9", 9.9), node("N8", 8)], designations: [{ trackId: "L", role: "target" }, { trackId: "N8", role: "target" }] });
    expect(designations).toEqual([{ trackId: "L", role: "target" }, { trackId: "N10", role: "non-target" }, { trackId: "N8", role: "target" }]);
    expect(input.baseline.nonTargets.map((n) => n.id)).toEqual(["N10"]);
  });
});
