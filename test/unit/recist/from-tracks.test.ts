// From matched tracks to the engine's contract input: baseline roles, follow-up mapping, proposals.
import { describe, expect, it } from "vitest";
import { assessTracks, inputFromTracks, type TrackForRecist } from "../../../src/domain/recist/from-tracks.ts";

const studies = [
  { key: "s0", date: "2024-01-01T09:30:00Z" },
  { key: "s1", date: "2024-02-12" },
  { key: "s2", date: "2024-03-25" },
];
const lesion = (trackId: string, organ: string, sizes: Record<string, number | undefined>): TrackForRecist => ({
  trackId, organ, nodal: false,
  sizes: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, v === undefined ? undefined : { longAxisMm: v, shortAxisMm: v / 2 }])),
});
const node = (trackId: string, sizes: Record<string, number | undefined>): TrackForRecist => ({
  trackId, organ: "mediastinum", nodal: true,
  sizes: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, v === undefined ? undefined : { longAxisMm: v + 10, shortAxisMm: v }])),
});

const tracks: TrackForRecist[] = [
  lesion("L1", "liver", { s0: 30.04, s1: 20.0, s2: 20.0 }),
  lesion("L2", "liver", { s0: 25, s2: 5 }),
  lesion("L3", "liver", { s0: 20, s1: 20, s2: 20 }),
  lesion("L4", "liver", { s0: 15 }),
  lesion("P1", "lung", { s0: 12, s1: 10, s2: 10 }),
  node("N1", { s0: 16, s1: 9, s2: 9 }),
  node("N2", { s0: 12, s1: 8, s2: 12 }),
  node("N3", { s0: 8, s1: 8, s2: 8 }),
  lesion("L5", "liver", { s0: 8, s1: 8, s2: 8 }),
  lesion("X1", "lung", { s1: 14 }),
  node("X2", { s1: 8, s2: 11 }),
];

describe("inputFromTracks: proposed targets (§3.2)", () => {
  const { input, proposed, designations } = inputFromTracks({ studies, tracks });

  it("proposes measurable lesions largest first within per-organ and total limits; normal nodes are not recorded", () => {
    expect(proposed).toBe(true);
    expect(input.baseline.targets.map((t) => [t.id, t.value])).toEqual([["L1", 30.0], ["L2", 25], ["P1", 12], ["N1", 16]]);
    expect(input.baseline.nonTargets.map((t) => t.id).sort()).toEqual(["L3", "L4", "L5", "N2"]);
    expect(designations.find((d) => d.trackId === "N3")).toBeUndefined();
    expect(input.baseline.date).toBe("2024-01-01");
  });

  it("maps follow-ups: missing target = not evaluated, node uses short axis, non-target present/absent by sight", () => {
    const f1 = input.followUps[0]!;
    expect(f1.targets).toEqual([
      { id: "L1", status: "measured", value: 20 }, { id: "L2", status: "not_evaluated" },
      { id: "P1", status: "measured", value: 10 }, { id: "N1", status: "measured", value: 9 },
    ]);
    const nt = Object.fromEntries(f1.nonTargets.map((n) => [n.id, n.status]));
    expect(nt).toEqual({ L3: "present", L4: "absent", L5: "present", N2: "absent" });
    expect(input.followUps[1]!.nonTargets.find((n) => n.id === "N2")!.status).toBe("present");
  });

  it("lists a new lesion from first sighting on (absent once gone); a new node only from 10 mm short axis", () => {
    expect(input.followUps[0]!.newLesions).toEqual([{ id: "X1", organ: "lung", equivocal: false, measurable: true, value: 14, status: "present" }]);
    expect(input.followUps[1]!.newLesions).toEqual([
      { id: "X1", organ: "lung", equivocal: false, measurable: false, status: "absent" },
      { id: "X2", organ: "mediastinum", equivocal: false, measurable: false, status: "present" },
    ]);
  });
});

describe("inputFromTracks: designations and flags", () => {
  it("uses a person's designations; other baseline disease becomes non-target", () => {
    const { input, proposed } = inputFromTracks({ studies, tracks, designations: [{ trackId: "L3", role: "target" }, { trackId: "L1", role: "non-target" }] });
    expect(proposed).toBe(false);
    expect(input.baseline.targets.map((t) => t.id)).toEqual(["L3"]);
    expect(input.baseline.nonTargets.map((t) => t.id).sort()).toEqual(["L1", "L2", "L4", "L5", "N1", "N2", "P1"]);
  });

  it("applies too-small-to-measure, equivocal, non-target status, markers, reference date and slice thickness", () => {
    const { input } = inputFromTracks({
      studies, tracks, referenceDate: "2024-01-05", sliceThicknessMm: 2.5,
      followUpFlags: { s1: { tooSmallToMeasure: ["L2"], equivocalNew: ["X1"], nonTargetStatus: { L3: "unequivocal_progression" }, tumorMarkersAboveNormal: true } },
    });
    const f1 = input.followUps[0]!;
    expect(f1.targets[1]).toEqual({ id: "L2", status: "tstm" });
    expect(f1.newLesions[0]!.equivocal).toBe(true);
    expect(f1.nonTargets.find((n) => n.id === "L3")!.status).toBe("unequivocal_progression");
    expect(f1.tumorMarkersAboveNormal).toBe(true);
    expect(input.referenceDate).toBe("2024-01-05");
    expect(input.baseline.sliceThicknessMm).toBe(2.5);
  });

  it("caps the total at maxTargets and honours thick slices (2 x slice for non-nodal lesions)", () => {
    const many = ["liver", "lung", "kidney", "spleen", "bone", "adrenal"].map((o, i) => lesion(`T${i}`, o, { s0: 20 + i }));
    expect(inputFromTracks({ studies: studies.slice(0, 1), tracks: many }).input.baseline.targets).toHaveLength(5);
    const thick = inputFromTracks({ studies: studies.slice(0, 1), tracks: many, sliceThicknessMm: 11, params: { maxTargets: 10, maxTargetsPerOrgan: 10 } });
    expect(thick.input.baseline.targets.map((t) => t.id)).toEqual(["T2", "T3", "T4", "T5"]); // LD >= 22 mm, in track order
  });
});

describe("assessTracks", () => {
  it("runs the engine on the mapped input", () => {
    const { result, proposed } = assessTracks({ studies, tracks, params: { criteria: "iRECIST" } });
    expect(proposed).toBe(true);
    expect(result.validationErrors).toEqual([]);
    expect(result.baselineSum).toBeCloseTo(83, 5);
    // s1: new unequivocal lesion X1 -> PD; iUPD.
    expect(result.timepoints!.map((t) => [t.overallResponse, t.iOverallResponse])).toEqual([["PD", "iUPD"], ["PD", "iCPD"]]);
  });

  it("reports NO_BASELINE_DISEASE when there is nothing to follow", () => {
    expect(assessTracks({ studies: [], tracks: [] }).result.validationErrors).toEqual([{ code: "NO_BASELINE_DISEASE", ref: null }]);
  });
});
