import { describe, expect, it } from "vitest";
import { trackedLesionsPctChange } from "../../../src/domain/timeline/tracked-change.ts";

const track = (...pts: [string, number][]) => ({ points: pts.map(([studyKey, diameterMm]) => ({ studyKey, diameterMm })) });

describe("size change of tracked lesions (partial annotations)", () => {
  it("compares the lesions of a study with the same lesions at their first measurement", () => {
    // A: 20 -> 10 -> 15; B first seen at s2 (40), then 44 at s3.
    const pct = trackedLesionsPctChange(["s1", "s2", "s3"], [track(["s1", 20], ["s2", 10], ["s3", 15]), track(["s2", 40], ["s3", 44])]);
    expect(pct).toEqual([null, -50, -1.7]); // (15 + 44 - 60) / 60
  });

  it("is null where no lesion of the study was measured before, and ignores a lesion seen once", () => {
    expect(trackedLesionsPctChange(["a", "b"], [track(["a", 30]), track(["b", 12])])).toEqual([null, null]);
  });

  it("does not read a lesion that is merely not annotated as a change", () => {
    // B annotated only at s1 and s3: s2 compares A alone.
    expect(trackedLesionsPctChange(["s1", "s2", "s3"], [track(["s1", 10], ["s2", 12], ["s3", 12]), track(["s1", 50], ["s3", 60])])).toEqual([null, 20, 20]);
  });
});
