// Lineage of split and merged tracks (spec §4): events to links, and links resolved into roots and pieces.
import { describe, expect, it } from "vitest";
import { lineageFromEvents, resolveLineage, type LineageLink } from "../../../src/domain/recist/lineage.ts";

describe("lineageFromEvents", () => {
  it("a split [parent, ...children] gives one link per child; a merge [...parents, child] one link", () => {
    expect(lineageFromEvents([
      { studyKey: "s2", type: "split", trackIds: ["T1", "T1.1", "T1.2"] },
      { studyKey: "s3", type: "split", trackIds: ["T2", "T2.1"] },
      { studyKey: "s3", type: "merge", trackIds: ["T3", "T4", "T3/T4"] },
      { studyKey: "s4", type: "merge", trackIds: ["T5", "T5b"] },
    ])).toEqual([
      { parentTrackIds: ["T1"], childTrackId: "T1.1", kind: "split", studyKey: "s2" },
      { parentTrackIds: ["T1"], childTrackId: "T1.2", kind: "split", studyKey: "s2" },
      { parentTrackIds: ["T2"], childTrackId: "T2.1", kind: "split", studyKey: "s3" },
      { parentTrackIds: ["T3", "T4"], childTrackId: "T3/T4", kind: "merge", studyKey: "s3" },
      { parentTrackIds: ["T5"], childTrackId: "T5b", kind: "merge", studyKey: "s4" },
    ]);
  });

  it("events with one track, and events of other types, carry no lineage", () => {
    expect(lineageFromEvents([
      { studyKey: "s2", type: "split", trackIds: ["T1"] },
      { studyKey: "s2", type: "merge", trackIds: ["T2"] },
      { studyKey: "s2", type: "new", trackIds: ["T3", "T4"] },
      { studyKey: "s2", type: "reappeared", trackIds: ["T5", "T6"] },
    ])).toEqual([]);
  });
});

describe("resolveLineage", () => {
  const studies = ["s0", "s1", "s2", "s3"];
  const link = (parents: string[], child: string, studyKey: string): LineageLink => ({ parentTrackIds: parents, childTrackId: child, kind: parents.length > 1 ? "merge" : "split", studyKey });
  const never = () => undefined;

  it("drops links naming unknown tracks or a track as its own parent", () => {
    const r = resolveLineage(["A", "B"], studies, [link(["A"], "X", "s1"), link(["X"], "B", "s1"), link(["B"], "B", "s1")], never);
    expect(r.hasParents("B")).toBe(false);
    expect(r.hasParents("X")).toBe(false);
    expect(r.roots("B")).toEqual(["B"]);
    expect(r.pieces("A", 3)).toEqual(["A"]);
  });

  it("an unknown study falls back to the child's first sighting; with none the link is dropped", () => {
    const seen = resolveLineage(["A", "A1"], studies, [link(["A"], "A1", "s9")], (id) => (id === "A1" ? 2 : undefined));
    expect(seen.pieces("A", 1)).toEqual(["A"]);
    expect(seen.pieces("A", 2)).toEqual(["A1"]);
    const unseen = resolveLineage(["A", "A1"], studies, [link(["A"], "A1", "s9")], never);
    expect(unseen.hasParents("A1")).toBe(false);
    expect(unseen.pieces("A", 2)).toEqual(["A"]);
  });

  it("a child starts at its earliest link and a parent ends at its earliest child", () => {
    const r = resolveLineage(["A", "A1", "A2"], studies, [link(["A"], "A1", "s3"), link(["A"], "A1", "s1"), link(["A"], "A2", "s2")], never);
    expect(r.pieces("A", 0)).toEqual(["A"]);
    expect(r.pieces("A", 1)).toEqual(["A1"]);
    expect(r.pieces("A", 2)).toEqual(["A1", "A2"]);
    expect(r.roots("A2")).toEqual(["A"]);
  });

  it("roots over two levels, in track order; a cycle (never from the matcher) ends and names the track itself", () => {
    const deep = resolveLineage(["B", "A", "AB", "AB.1"], studies, [link(["A", "B"], "AB", "s1"), link(["AB"], "AB.1", "s2")], never);
    expect(deep.roots("AB.1")).toEqual(["B", "A"]);
    expect(deep.pieces("A", 3)).toEqual(["AB.1"]);
    const cycle = resolveLineage(["A", "B"], studies, [link(["A"], "B", "s1"), link(["B"], "A", "s2")], never);
    expect(cycle.roots("A")).toEqual(["A"]);
  });

  it("pieces of a track it does not know are the track itself", () => {
    expect(resolveLineage(["A"], studies, [], never).pieces("Z", 1)).toEqual(["Z"]);
  });
});
