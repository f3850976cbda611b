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
      { id: "X1", organ: "lung", equivocal: false, measurable: true, status: "absent" }, // an NLT stays one when gone (§13.1: absent = 0)
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

describe("inputFromTracks: a new lesion is classed once, at first sighting (iRECIST §13.1)", () => {
  const six = [
    { key: "b", date: "2024-01-01" }, { key: "f1", date: "2024-02-12" }, { key: "f2", date: "2024-03-25" },
    { key: "f3", date: "2024-05-06" }, { key: "f4", date: "2024-06-17" }, { key: "f5", date: "2024-07-29" },
  ];
  const classes = (input: ReturnType<typeof inputFromTracks>["input"], id: string) =>
    input.followUps.map((f) => f.newLesions.find((n) => n.id === id)).map((n) => (n === undefined ? null : [n.measurable, n.value ?? null, n.status]));

  it("an NLT that shrinks under 10 mm stays an NLT with its size, so regrowth from that nadir is progression", () => {
    const tracks = [lesion("A", "liver", { b: 50, f1: 50, f2: 50, f3: 45, f4: 45, f5: 45 }), lesion("X", "liver", { f2: 10, f3: 8, f4: 11, f5: 14 })];
    const { input } = inputFromTracks({ studies: six, tracks, designations: [{ trackId: "A", role: "target" }] });
    expect(classes(input, "X")).toEqual([null, [true, 10, "present"], [true, 8, "present"], [true, 11, "present"], [true, 14, "present"]]);
    // NLT nadir 8 mm: 11 is +3 (iSD), 14 is +6 mm and +75 % (iUPD). Classed again at each scan,
    // the 8 mm scan would drop out of the NLT sum and 14 would be only +4 over the 10 mm nadir.
    const { result } = assessTracks({ studies: six, tracks, designations: [{ trackId: "A", role: "target" }], params: { criteria: "iRECIST" } });
    expect(result.timepoints!.map((t) => t.iOverallResponse)).toEqual(["iSD", "iUPD", "iSD", "iSD", "iUPD"]);
  });

  it("a new lesion first seen under 10 mm stays a non-target when it grows past 10 mm", () => {
    const tracks = [lesion("A", "liver", { b: 50, f1: 50, f2: 50 }), lesion("Y", "lung", { f1: 9.9, f2: 12 })];
    const { input } = inputFromTracks({ studies: six.slice(0, 3), tracks, designations: [{ trackId: "A", role: "target" }] });
    expect(classes(input, "Y")).toEqual([[false, null, "present"], [false, null, "present"]]);
  });

  it("at most maxTargetsPerOrgan NLTs per organ and maxTargets in all, largest first, ties by id", () => {
    const tracks = [
      lesion("A", "liver", { b: 50, f1: 50, f2: 50 }),
      lesion("L1", "lung", { f1: 12 }), lesion("L2", "lung", { f1: 20 }), lesion("L3", "lung", { f1: 15 }),
      lesion("K1", "kidney", { f1: 11 }), lesion("K0", "kidney", { f1: 11 }),
      lesion("S1", "spleen", { f1: 30 }), lesion("B1", "bone", { f2: 40 }),
    ];
    const { input } = inputFromTracks({ studies: six.slice(0, 3), tracks, designations: [{ trackId: "A", role: "target" }] });
    const nlt = (k: number) => input.followUps[k]!.newLesions.filter((n) => n.measurable).map((n) => n.id).sort();
    // f1: lung keeps L2 and L3 (L1 is the smallest of three); K0 and K1 tie at 11 mm; S1 fills five.
    expect(nlt(0)).toEqual(["K0", "K1", "L2", "L3", "S1"]);
    // f2: five NLTs already, so B1 (40 mm) is a non-target, and none of the f1 classes change.
    expect(input.followUps[1]!.newLesions.find((n) => n.id === "B1")!.measurable).toBe(false);
    expect(input.followUps[1]!.newLesions.filter((n) => n.measurable && n.status === "absent").map((n) => n.id).sort()).toEqual(["K0", "K1", "L2", "L3", "S1"]);
    const capped = inputFromTracks({ studies: six.slice(0, 2), tracks: tracks.slice(0, 6), designations: [{ trackId: "A", role: "target" }], params: { maxTargets: 3 } }).input;
    expect(capped.followUps[0]!.newLesions.filter((n) => n.measurable).map((n) => n.id).sort()).toEqual(["K0", "L2", "L3"]);
  });

  it("an NLT flagged not evaluated is left out of the NLT sum instead of counting 0 mm", () => {
    const tracks = [lesion("A", "liver", { b: 50, f1: 50, f2: 50 }), lesion("X", "liver", { f1: 12 })];
    const { input } = inputFromTracks({ studies: six.slice(0, 3), tracks, designations: [{ trackId: "A", role: "target" }], followUpFlags: { f2: { notEvaluated: ["X"] } } });
    expect(classes(input, "X")).toEqual([[true, 12, "present"], [false, null, "not_evaluated"]]);
  });
});
