import { describe, expect, it } from "vitest";
import type { Observation } from "../../../src/domain/observation.ts";
import { pairKey } from "../../../src/domain/matching/match.ts";
import { planConstraints } from "../../../src/domain/matching/track-constraints.ts";
import type { TrackConstraints, TrackState } from "../../../src/domain/matching/tracks.ts";
import { obs } from "./helpers.ts";

/** A live track whose observations are `ids` (oldest first); its head is the last one. */
function track(...ids: string[]): TrackState {
  const head = obs(ids.at(-1)!, [0, 0, 0], 10);
  return {
    trackId: `trk_${ids[0]}`,
    label: ids[0]!,
    observations: ids.map((id, k) => ({ studyKey: `s${k}`, observationId: id })),
    head,
    headStudy: ids.length - 1,
    ended: false,
    members: new Set(ids),
  };
}

/** Plan for a new study with observations `ys` against the live tracks. */
function plan(live: TrackState[], ys: string[], constraints: TrackConstraints | undefined) {
  const trackOf = new Map<string, TrackState>();
  for (const t of live) for (const id of t.members) trackOf.set(id, t);
  const study: Observation[] = ys.map((id) => obs(id, [0, 0, 0], 10));
  return planConstraints(study, live, trackOf, constraints);
}
const ids = (os: readonly { id: string }[]): string[] => os.map((o) => o.id);

describe("planConstraints", () => {
  it("leaves everything to the matcher without constraints", () => {
    const t = track("S");
    for (const c of [undefined, {}, { cannotLink: [] }]) {
      const p = plan([t], ["t"], c);
      expect(p.forced.size).toBe(0);
      expect(p.forbidden.size).toBe(0);
      expect(p.merges).toEqual([]);
      expect(p.splits).toEqual([]);
      expect(p.fromIdFor.size).toBe(0);
      expect(p.matchable.tracks).toEqual([t]);
      expect(ids(p.matchable.observations)).toEqual(["t"]);
    }
  });

  it("forces a mustLink given in either order, keyed by the track head", () => {
    const t = track("S");
    expect([...plan([t], ["t"], { mustLink: [["S", "t"]] }).forced]).toEqual([pairKey("S", "t")]);
    expect([...plan([t], ["t"], { mustLink: [["t", "S"]] }).forced]).toEqual([pairKey("S", "t")]);
  });

  it("forbids a cannotLink against the head, also when stated from an older observation", () => {
    const t = track("old", "head");
    const p = plan([t], ["y", "z"], { cannotLink: [["y", "old"], ["head", "z"]] });
    expect([...p.forbidden].sort()).toEqual([pairKey("head", "y"), pairKey("head", "z")].sort());
    expect(p.forced.size).toBe(0);
  });

  it("ignores pairs not between a live track and the new study", () => {
    const t = track("x");
    const p = plan([t], ["y"], { mustLink: [["x", "gone"], ["y", "new"]], cannotLink: [["x", "other"]] });
    expect(p.forced.size).toBe(0);
    expect(p.forbidden.size).toBe(0);
  });

  it("counts a pair on both lists as cannotLink, whatever order each list states it in", () => {
    const t = track("x");
    expect(plan([t], ["y"], { mustLink: [["x", "y"]], cannotLink: [["y", "x"]] }).forced.size).toBe(0);
    // Both ends are heads of live tracks and both are in the study: the two lists orient the
    // pair differently, and the mustLink must still be dropped.
    const u = track("u"), v = track("v");
    const p = plan([u, v], ["u", "v"], { mustLink: [["v", "u"]], cannotLink: [["u", "v"]] });
    expect(p.forced.size).toBe(0);
    expect([...p.forbidden]).toEqual([pairKey("u", "v")]);
  });

  it("records the older observation a person linked from", () => {
    const t = track("old", "head");
    const fromOld = plan([t], ["y"], { mustLink: [["old", "y"]] });
    expect([...fromOld.forced]).toEqual([pairKey("head", "y")]);
    expect([...fromOld.fromIdFor]).toEqual([["y", "old"]]);
    const fromHead = plan([t], ["y"], { mustLink: [["head", "y"]] });
    expect(fromHead.fromIdFor.size).toBe(0);
  });

  it("turns one observation linked to several tracks into a merge, tracks in live order", () => {
    const t1 = track("a"), t2 = track("b"), t3 = track("c"), t4 = track("d");
    const p = plan([t1, t2, t3, t4], ["y", "w"], { mustLink: [["c", "y"], ["y", "b"], ["a", "y"], ["d", "w"]] });
    expect(p.merges).toEqual([{ observationId: "y", tracks: [t1, t2, t3] }]);
    expect(p.matchable.tracks).toEqual([t4]);
    expect(ids(p.matchable.observations)).toEqual(["w"]);
    expect([...p.forced]).toEqual([pairKey("d", "w")]);
    expect(p.splits).toEqual([]);
  });

  it("orders several merges by observation id", () => {
    const t1 = track("a"), t2 = track("b"), t3 = track("c"), t4 = track("d");
    const p = plan([t1, t2, t3, t4], ["y2", "y1"], { mustLink: [["c", "y2"], ["d", "y2"], ["a", "y1"], ["b", "y1"]] });
    expect(p.merges).toEqual([
      { observationId: "y1", tracks: [t1, t2] },
      { observationId: "y2", tracks: [t3, t4] },
    ]);
    expect(p.matchable.tracks).toEqual([]);
    expect(p.matchable.observations).toEqual([]);
  });

  it("turns one track linked to several observations into a split, ids sorted, tracks in live order", () => {
    const t1 = track("a"), t2 = track("b"), t3 = track("c");
    const p = plan([t1, t2, t3], ["y3", "y1", "y2", "z2", "z1", "w"], {
      mustLink: [["c", "z2"], ["c", "z1"], ["a", "y3"], ["a", "y1"], ["a", "y2"]],
    });
    expect(p.splits).toEqual([
      { track: t1, observationIds: ["y1", "y2", "y3"] },
      { track: t3, observationIds: ["z1", "z2"] },
    ]);
    expect(p.matchable.tracks).toEqual([t2]);
    expect(ids(p.matchable.observations)).toEqual(["w"]);
    expect(p.forced.size).toBe(0);
  });

  it("does not force the other link of a track that takes part in a merge", () => {
    // a is linked to y (shared with b: a merge) and to z: a ends in the merge, z stays free.
    const t1 = track("a"), t2 = track("b");
    const p = plan([t1, t2], ["y", "z"], { mustLink: [["a", "y"], ["b", "y"], ["a", "z"]] });
    expect(p.merges).toEqual([{ observationId: "y", tracks: [t1, t2] }]);
    expect(p.splits).toEqual([]);
    expect(p.forced.size).toBe(0);
    expect(p.matchable.tracks).toEqual([]);
    expect(ids(p.matchable.observations)).toEqual(["z"]);
  });

  it("ignores mustLinks to tracks that are no longer live", () => {
    const ended = track("a");
    const trackOf = new Map([["a", ended]]);
    const p = planConstraints([obs("y", [0, 0, 0], 10)], [], trackOf, { mustLink: [["a", "y"]] });
    expect(p.forced.size).toBe(0);
    expect(ids(p.matchable.observations)).toEqual(["y"]);
  });
});
