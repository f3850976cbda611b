// Splits and merges (people's corrections) in the mapping from tracks to the RECIST engine (spec §4).
// Every expected number below is worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { assessTracks, inputFromTracks, type TrackForRecist, type TracksArgs } from "../../../src/domain/recist/from-tracks.ts";
import { lineageFromEvents, type LineageLink } from "../../../src/domain/recist/lineage.ts";
import type { Observation } from "../../../src/domain/observation.ts";
import { derivePatient } from "../../../src/domain/timeline/derive.ts";
import { epochDays } from "../../../src/domain/timeline/time-axis.ts";
import type { CohortSettings, StudyRecord } from "../../../src/domain/timeline/types.ts";

const studies = [
  { key: "s0", date: "2024-01-01" },
  { key: "s1", date: "2024-03-01" },
  { key: "s2", date: "2024-05-01" },
  { key: "s3", date: "2024-07-01" },
  { key: "s4", date: "2024-09-01" },
];
const lesion = (trackId: string, organ: string, sizes: Record<string, number>): TrackForRecist => ({
  trackId, organ, nodal: false,
  sizes: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, { longAxisMm: v, shortAxisMm: v / 2 }])),
});
const split = (parent: string, children: string[], studyKey: string): LineageLink[] =>
  children.map((c) => ({ parentTrackIds: [parent], childTrackId: c, kind: "split", studyKey }));
const responses = (args: TracksArgs) => assessTracks(args).result.timepoints!.map((t) => [t.sum, t.newLesion, t.overallResponse]);

describe("split of a target", () => {
  // A (liver, 40) splits at s2 into A1 + A2; B (lung, 20) stays. Targets A, B: baseline sum 60.
  // s1: 36 + 20 = 56 (-6.7 %) SD.  s2: (12 + 8) + 20 = 40 (-33.3 %) PR.
  // s3: A1 gone, A2 6: (0 + 6) + 20 = 26 PR.  s4: both fragments gone: A disappeared, 0 + 20 = 20 PR.
  const tracks = [
    lesion("A", "liver", { s0: 40, s1: 36 }),
    lesion("B", "lung", { s0: 20, s1: 20, s2: 20, s3: 20, s4: 20 }),
    lesion("A1", "liver", { s2: 12 }),
    lesion("A2", "liver", { s2: 8, s3: 6 }),
  ];
  const args: TracksArgs = { studies, tracks, designations: [{ trackId: "A", role: "target" }, { trackId: "B", role: "target" }], lineage: split("A", ["A1", "A2"], "s2"), missingTargetMeans: "disappeared" };
  // A at s1..s4: measured, its two fragments, one fragment gone (0), both gone.
  const targetAAtFollowUps = [
    { id: "A", status: "measured", value: 36 },
    { id: "A", status: "measured", fragments: [12, 8] },
    { id: "A", status: "measured", fragments: [0, 6] },
    { id: "A", status: "disappeared" },
  ];

  it("measures the target as the sum of its fragments; a fragment not seen is 0; all gone = disappeared", () => {
    const { input } = inputFromTracks(args);
    expect(input.baseline.targets.map((t) => t.id)).toEqual(["A", "B"]);
    expect(input.followUps.map((f) => f.targets[0])).toEqual(targetAAtFollowUps);
    expect(input.followUps.flatMap((f) => f.newLesions)).toEqual([]);
  });

  it("gives PR when the fragments' sum shrinks, not PD for new lesions", () => {
    expect(responses(args)).toEqual([[56, false, "SD"], [40, false, "PR"], [26, false, "PR"], [20, false, "PR"]]);
    // Without the lineage the same tracks read as a vanished target plus two new lesions: PD.
    const { lineage: _, ...without } = args;
    expect(responses(without)[1]).toEqual([20, true, "PD"]);
  });

  it("a link naming a study that is not in the history starts the fragments at their first sighting (s2)", () => {
    const { input } = inputFromTracks({ ...args, lineage: split("A", ["A1", "A2"], "s-unknown") });
    expect(input.followUps.map((f) => f.targets[0])).toEqual(targetAAtFollowUps);
    expect(input.followUps.flatMap((f) => f.newLesions)).toEqual([]);
  });

  it("growth of the fragments' sum is still PD by size", () => {
    // s2: (30 + 25) + 20 = 75 >= 56 x 1.2 = 67.2 and +19 mm >= 5 mm: PD, with no new lesion.
    const grown = [tracks[0]!, tracks[1]!, lesion("A1", "liver", { s2: 30 }), lesion("A2", "liver", { s2: 25 })];
    expect(responses({ ...args, tracks: grown }).slice(0, 2)).toEqual([[56, false, "SD"], [75, false, "PD"]]);
  });
});

describe("merge of two targets", () => {
  // P (25) and Q (15), both liver, merge at s2 into M (30); R (lung, 20). Targets P, Q, R: baseline 60.
  // s1: 22 + 14 + 20 = 56 SD.  s2: P carries M = 30, Q merged (0), R 20: 50 (-16.7 %; nadir 56) SD.
  // s3: M not seen: P and Q disappeared, R 20: 20 (-66.7 %) PR.
  const tracks = [
    lesion("P", "liver", { s0: 25, s1: 22 }),
    lesion("Q", "liver", { s0: 15, s1: 14 }),
    lesion("R", "lung", { s0: 20, s1: 20, s2: 20, s3: 20 }),
    lesion("M", "liver", { s2: 30 }),
  ];
  const four = studies.slice(0, 4);
  const designations = ["P", "Q", "R"].map((trackId) => ({ trackId, role: "target" as const }));
  const merge: LineageLink[] = [{ parentTrackIds: ["P", "Q"], childTrackId: "M", kind: "merge", studyKey: "s2" }];

  it("puts the merged size on the first target and reports the other merged into it", () => {
    const { input } = inputFromTracks({ studies: four, tracks, designations, lineage: merge, missingTargetMeans: "disappeared" });
    expect(input.followUps[1]!.targets).toEqual([
      { id: "P", status: "measured", value: 30 },
      { id: "Q", status: "merged", mergedInto: "P" },
      { id: "R", status: "measured", value: 20 },
    ]);
    expect(input.followUps[2]!.targets.slice(0, 2)).toEqual([{ id: "P", status: "disappeared" }, { id: "Q", status: "disappeared" }]);
    expect(input.followUps.flatMap((f) => f.newLesions)).toEqual([]);
  });

  it("sum = merged size + the rest, no new lesion, SD then PR", () => {
    expect(responses({ studies: four, tracks, designations, lineage: merge, missingTargetMeans: "disappeared" })).toEqual([[56, false, "SD"], [50, false, "SD"], [20, false, "PR"]]);
  });

  it("the first target is by track order, whatever order the lineage lists the parents in", () => {
    const reversed: LineageLink[] = [{ ...merge[0]!, parentTrackIds: ["Q", "P"] }];
    const { input } = inputFromTracks({ studies: four, tracks, designations, lineage: reversed });
    expect(input.followUps[1]!.targets.slice(0, 2)).toEqual([{ id: "P", status: "measured", value: 30 }, { id: "Q", status: "merged", mergedInto: "P" }]);
  });

  it("a merge of a target with a non-target: the target carries the size, the non-target is present while the merged lesion is", () => {
    const { input } = inputFromTracks({ studies: four, tracks, designations: [{ trackId: "P", role: "target" }, { trackId: "Q", role: "non-target" }, { trackId: "R", role: "target" }], lineage: merge });
    expect(input.followUps[1]!.targets[0]).toEqual({ id: "P", status: "measured", value: 30 });
    expect(input.followUps.map((f) => f.nonTargets[0]!.status)).toEqual(["present", "present", "absent"]);
    expect(input.followUps.flatMap((f) => f.newLesions)).toEqual([]);
  });
});

describe("split of a non-target", () => {
  // T (liver, 30) target throughout. N (lung, 8: non-target) splits at s1 into N1 (5) + N2 (4);
  // at s2 only N2 (3), at s3 neither. N is present while any fragment is; never a new lesion.
  const tracks = [
    lesion("T", "liver", { s0: 30, s1: 30, s2: 30, s3: 30 }),
    lesion("N", "lung", { s0: 8 }),
    lesion("N1", "lung", { s1: 5 }),
    lesion("N2", "lung", { s1: 4, s2: 3 }),
  ];
  const args: TracksArgs = {
    studies: studies.slice(0, 4), tracks,
    designations: [{ trackId: "T", role: "target" }, { trackId: "N", role: "non-target" }],
    lineage: split("N", ["N1", "N2"], "s1"),
  };

  it("counts the fragments as that non-target", () => {
    const { input } = inputFromTracks(args);
    expect(input.baseline.nonTargets.map((n) => n.id)).toEqual(["N"]);
    expect(input.followUps.map((f) => f.nonTargets)).toEqual([[{ id: "N", status: "present" }], [{ id: "N", status: "present" }], [{ id: "N", status: "absent" }]]);
    expect(input.followUps.flatMap((f) => f.newLesions)).toEqual([]);
    expect(assessTracks(args).result.timepoints!.map((t) => [t.nonTargetResponse, t.overallResponse])).toEqual([
      ["NON-CR/NON-PD", "SD"], ["NON-CR/NON-PD", "SD"], ["CR", "SD"],
    ]);
  });
});

describe("lineage beyond one level and around new lesions", () => {
  it("follows a split child that later merges back to the baseline target (transitively)", () => {
    // A (40) splits at s1 into A1 (15) + A2 (10); at s2 A1 and A2 merge into A12 (20): A = 20 (one piece).
    const tracks = [lesion("A", "liver", { s0: 40 }), lesion("A1", "liver", { s1: 15 }), lesion("A2", "liver", { s1: 10 }), lesion("A12", "liver", { s2: 20 })];
    const lineage = [...split("A", ["A1", "A2"], "s1"), { parentTrackIds: ["A1", "A2"], childTrackId: "A12", kind: "merge" as const, studyKey: "s2" }];
    const { input } = inputFromTracks({ studies: studies.slice(0, 3), tracks, designations: [{ trackId: "A", role: "target" }], lineage });
    expect(input.followUps.map((f) => f.targets)).toEqual([
      [{ id: "A", status: "measured", fragments: [15, 10] }],
      [{ id: "A", status: "measured", value: 20 }],
    ]);
    expect(input.followUps.flatMap((f) => f.newLesions)).toEqual([]);
  });

  it("a new lesion that later splits stays one new lesion: present while a fragment is, size = the fragments' sum", () => {
    const tracks = [lesion("T", "liver", { s0: 30, s1: 30, s2: 30, s3: 30 }), lesion("X", "lung", { s1: 14 }), lesion("X1", "lung", { s2: 9 }), lesion("X2", "lung", { s2: 7 })];
    const { input } = inputFromTracks({ studies: studies.slice(0, 4), tracks, designations: [{ trackId: "T", role: "target" }], lineage: split("X", ["X1", "X2"], "s2") });
    expect(input.followUps.map((f) => f.newLesions)).toEqual([
      [{ id: "X", organ: "lung", equivocal: false, measurable: true, value: 14, status: "present" }],
      [{ id: "X", organ: "lung", equivocal: false, measurable: true, value: 16, status: "present" }],
      [{ id: "X", organ: "lung", equivocal: false, measurable: true, status: "absent" }],
    ]);
  });

  it("lineageFromEvents reads the matcher's events: split = [parent, ...children], merge = [...parents, child]", () => {
    expect(lineageFromEvents([
      { studyKey: "s1", type: "new", trackIds: ["X"] },
      { studyKey: "s2", type: "split", trackIds: ["A", "A1", "A2"] },
      { studyKey: "s2", type: "merge", trackIds: ["B", "C", "BC"] },
    ])).toEqual([
      { parentTrackIds: ["A"], childTrackId: "A1", kind: "split", studyKey: "s2" },
      { parentTrackIds: ["A"], childTrackId: "A2", kind: "split", studyKey: "s2" },
      { parentTrackIds: ["B", "C"], childTrackId: "BC", kind: "merge", studyKey: "s2" },
    ]);
  });
});

describe("end to end: people's mustLinks -> deriveTracks -> derivePatient RECIST", () => {
  const cohort: CohortSettings = { protocol: {}, protocolVersion: 1, scanIntervalDays: 56, bodySizeMm: [350, 300, 900] };
  const o = (id: string, pos: [number, number, number], long: number, organ: string): Observation =>
    ({ id, positionMm: pos, longAxisMm: long, shortAxisMm: Math.round(long * 0.6), organ, lesionType: organ, nodal: false });
  const study = (key: string, date: string, observations: Observation[]): StudyRecord =>
    ({ key, date, dayOffset: null, orderIndex: null, ageYears: null, timeDays: epochDays(date), timeAxis: "date", modality: "CT", sliceThicknessMm: null, observations });
  // Baseline: a (liver 30), b (lung 20), c (lung 15), d (kidney 25): all four proposed as targets, sum 90.
  // s1: a splits into a1x (12) + a1y (10); b and c merge into bc1 (28); d1 24.
  //     a = 12 + 10 = 22, b carries 28, c merged (0), d 24: 74 (-17.8 %) SD, no new lesion.
  // s2: a2x (8) continues a1x, a1y gone; bc2 20; d2 20.  a = 8 + 0 = 8: 8 + 20 + 0 + 20 = 48 (-46.7 %) PR.
  const studiesIn = [
    study("s0", "2024-01-01", [o("a", [0, 0, 0], 30, "liver"), o("b", [150, 0, 0], 20, "lung"), o("c", [150, 60, 0], 15, "lung"), o("d", [0, 0, 200], 25, "kidney")]),
    study("s1", "2024-03-01", [o("a1x", [-15, 0, 0], 12, "liver"), o("a1y", [15, 0, 0], 10, "liver"), o("bc1", [150, 30, 0], 28, "lung"), o("d1", [0, 0, 200], 24, "kidney")]),
    study("s2", "2024-05-01", [o("a2x", [-15, 0, 0], 8, "liver"), o("bc2", [150, 30, 0], 20, "lung"), o("d2", [0, 0, 200], 20, "kidney")]),
  ];
  const must = [["a", "a1x"], ["a", "a1y"], ["b", "bc1"], ["c", "bc1"], ["a1x", "a2x"], ["bc1", "bc2"], ["d", "d1"], ["d1", "d2"]];
  const d = derivePatient({
    studies: studiesIn,
    corrections: must.map(([from, to]) => ({ kind: "must" as const, fromObservationId: from!, toObservationId: to! })),
    recist: {}, referenceDate: null, cohort,
  });
  const trackOf = (obsId: string) => d.tracks.find((t) => t.points.some((p) => p.observationId === obsId))!;

  it("the matcher records the split and the merge as child tracks", () => {
    expect([trackOf("a1x").label, trackOf("a1y").label, trackOf("bc1").label]).toEqual(["T01.1", "T01.2", "T02/T03"]);
    expect(d.events.filter((e) => e.type === "split" || e.type === "merge").map((e) => e.type)).toEqual(["merge", "split"]);
  });

  it("RECIST counts the children as their baseline targets: SD then PR, never a new lesion", () => {
    const { result, designations, proposed } = d.recist;
    expect(proposed).toBe(true);
    expect(designations).toEqual(["a", "b", "c", "d"].map((x) => ({ trackId: trackOf(x).trackId, role: "target" })));
    expect(result.validationErrors).toEqual([]);
    expect(result.baselineSum).toBe(90);
    expect(result.timepoints!.map((t) => [t.sum, t.newLesion, t.targetResponse, t.overallResponse])).toEqual([
      [74, false, "SD", "SD"],
      [48, false, "PR", "PR"],
    ]);
  });
});
