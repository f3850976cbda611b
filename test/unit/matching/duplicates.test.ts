import { describe, expect, it } from "vitest";
import type { Vec3 } from "../../../src/domain/geometry.ts";
import { type DuplicateRule, duplicateGroups } from "../../../src/domain/matching/duplicates.ts";
import type { Observation } from "../../../src/domain/observation.ts";
import { obs } from "./helpers.ts";

const rule: DuplicateRule = { duplicateRadiusMm: 10, duplicateSizeRatio: 1.5 };

/** An observation measured on a named series (undefined: no source at all). */
const on = (id: string, series: string | undefined, positionMm: Vec3, longAxisMm: number, extra: Partial<Observation> = {}): Observation =>
  obs(id, positionMm, longAxisMm, series === undefined ? extra : { source: { series }, ...extra });

describe("duplicateGroups", () => {
  it("returns no groups for no observations", () => {
    expect(duplicateGroups([], rule)).toEqual([]);
  });

  it("joins two observations on different series at nearly the same place and size", () => {
    // 4 mm apart < max(10, (10 + 10) / 4 = 5) = 10 mm; sizes equal (ratio 1 <= 1.5).
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [4, 0, 0], 10)], rule)).toEqual([[0, 1]]);
  });

  it("never joins two observations of the same series", () => {
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s1", [4, 0, 0], 10)], rule)).toEqual([[0], [1]]);
  });

  it("needs a named series on both sides (missing source, missing series, empty series)", () => {
    for (const [sp, sq] of [
      [undefined, "s2"],
      ["s1", undefined],
      ["", "s2"],
      ["s1", ""],
    ] as const) {
      expect(duplicateGroups([on("a", sp, [0, 0, 0], 10), on("b", sq, [4, 0, 0], 10)], rule), `${sp}/${sq}`).toEqual([[0], [1]]);
    }
    const noSeries = obs("b", [4, 0, 0], 10, { source: { file: "x.dcm" } });
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), noSeries], rule)).toEqual([[0], [1]]);
    expect(duplicateGroups([noSeries, on("a", "s1", [0, 0, 0], 10)], rule)).toEqual([[0], [1]]);
  });

  it("ignores a series that is not a string (untyped JSON input)", () => {
    const p = obs("a", [0, 0, 0], 10, { source: { series: 1 as unknown as string } });
    const q = obs("b", [4, 0, 0], 10, { source: { series: 2 as unknown as string } });
    expect(duplicateGroups([p, q], rule)).toEqual([[0], [1]]);
  });

  it("leaves observations without a position alone", () => {
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10, { positionMm: null }), on("b", "s2", [0, 0, 0], 10)], rule)).toEqual([[0], [1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [0, 0, 0], 10, { positionMm: undefined })], rule)).toEqual([[0], [1]]);
  });

  it("takes the distance strictly below the radius", () => {
    // radius = max(10, (10 + 10) / 4) = 10: 9.99 joins, exactly 10 (6-8-0 triangle) does not.
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [9.99, 0, 0], 10)], rule)).toEqual([[0, 1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [6, 8, 0], 10)], rule)).toEqual([[0], [1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [12, 0, 0], 10)], rule)).toEqual([[0], [1]]);
  });

  it("widens the radius to a quarter of the summed long axes for big lesions", () => {
    // radius = max(10, (40 + 40) / 4 = 20) = 20: 15 mm joins, 20 mm does not.
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 40), on("b", "s2", [15, 0, 0], 40)], rule)).toEqual([[0, 1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 40), on("b", "s2", [20, 0, 0], 40)], rule)).toEqual([[0], [1]]);
    // Unequal sizes 30 / 40 (ratio 1.33): radius = max(10, (30 + 40) / 4 = 17.5), so 17 mm joins.
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 30), on("b", "s2", [17, 0, 0], 40)], rule)).toEqual([[0, 1]]);
  });

  it("accepts a long-axis ratio up to and including the rule's ratio", () => {
    // 15 / 10 = 1.5 <= 1.5 joins (radius max(10, 25/4)=10, 1 mm apart); 15.5 / 10 = 1.55 does not, in either order.
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [1, 0, 0], 15)], rule)).toEqual([[0, 1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 15), on("b", "s2", [1, 0, 0], 10)], rule)).toEqual([[0, 1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [1, 0, 0], 15.5)], rule)).toEqual([[0], [1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 15.5), on("b", "s2", [1, 0, 0], 10)], rule)).toEqual([[0], [1]]);
  });

  it("needs both the distance and the size to agree", () => {
    // Close but sizes 10 / 20 (ratio 2); similar size but 30 mm apart.
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [1, 0, 0], 20)], rule)).toEqual([[0], [1]]);
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 10), on("b", "s2", [30, 0, 0], 10)], rule)).toEqual([[0], [1]]);
  });

  it("treats two zero-size lesions as the same size", () => {
    // ratio = 0 / max(1e-9, 0) = 0 <= 1.5.
    expect(duplicateGroups([on("a", "s1", [0, 0, 0], 0), on("b", "s2", [3, 0, 0], 0)], rule)).toEqual([[0, 1]]);
  });

  it("joins transitively and returns every observation once, groups in index order", () => {
    // 0 (s1) - 2 (s2) - 3 (s3) chain: 0-2 8 mm, 2-3 8 mm, 0-3 16 mm (too far alone); 1 and 4 stand apart.
    const list = [
      on("p0", "s1", [0, 0, 0], 10),
      on("p1", "s2", [100, 0, 0], 10),
      on("p2", "s2", [8, 0, 0], 10),
      on("p3", "s3", [16, 0, 0], 10),
      on("p4", "s1", [200, 0, 0], 10),
    ];
    expect(duplicateGroups(list, rule)).toEqual([[0, 2, 3], [1], [4]]);
    // Joined through a later member: 1 (s2) joins 3 (s1) and 2 (s3) joins 3; 0 stays alone.
    const later = [on("q0", "s1", [500, 0, 0], 10), on("q1", "s2", [0, 0, 0], 10), on("q2", "s3", [16, 0, 0], 10), on("q3", "s1", [8, 0, 0], 10)];
    expect(duplicateGroups(later, rule)).toEqual([[0], [1, 2, 3]]);
  });
});
