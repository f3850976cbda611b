// Reader's flags in the tracks -> engine mapping: not evaluated vs disappeared, contradictions, equivocal carry, iRECIST flags.
import { describe, expect, it } from "vitest";
import { assessTracks, inputFromTracks, type TrackForRecist } from "../../../src/domain/recist/from-tracks.ts";
import type { FollowUpFlags } from "../../../src/domain/recist/follow-up-flags.ts";

const studies = [
  { key: "s0", date: "2024-01-01" },
  { key: "s1", date: "2024-02-26" },
  { key: "s2", date: "2024-04-22" },
  { key: "s3", date: "2024-06-17" },
];
const lesion = (trackId: string, organ: string, sizes: Record<string, number>, nodal = false): TrackForRecist => ({
  trackId, organ, nodal,
  sizes: Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, nodal ? { longAxisMm: v + 5, shortAxisMm: v } : { longAxisMm: v, shortAxisMm: v / 2 }])),
});
// Liver target L (40 -> 26 -> 24 -> 22); lung target G seen at baseline only (the follow-ups did not cover it).
const liver = lesion("L", "liver", { s0: 40, s1: 26, s2: 24, s3: 22 });
const lung = lesion("G", "lung", { s0: 20 });
const designations = [{ trackId: "L", role: "target" as const }, { trackId: "G", role: "target" as const }];

describe("a target with no observation", () => {
  it("is not evaluated by default: NE, not a response", () => {
    const { result } = assessTracks({ studies: studies.slice(0, 2), tracks: [liver, lung], designations });
    expect(result.timepoints![0]).toMatchObject({ sum: null, partialSum: 26, targetResponse: "NE", overallResponse: "NE" });
  });

  it("has disappeared with missingTargetMeans: \"disappeared\" (detector-fed cohorts)", () => {
    const { input, result } = assessTracks({ studies: studies.slice(0, 2), tracks: [liver, lung], designations, missingTargetMeans: "disappeared" });
    expect(input.followUps[0]!.targets[1]).toEqual({ id: "G", status: "disappeared" });
    expect(result.timepoints![0]).toMatchObject({ sum: 26, targetResponse: "PR" });
  });

  it("follows the reader's flag whatever the setting", () => {
    const gone = inputFromTracks({ studies: studies.slice(0, 2), tracks: [liver, lung], designations, followUpFlags: { s1: { disappeared: ["G"] } } });
    expect(gone.input.followUps[0]!.targets[1]).toEqual({ id: "G", status: "disappeared" });
    const ne = inputFromTracks({ studies: studies.slice(0, 2), tracks: [liver, lung], designations, missingTargetMeans: "disappeared", followUpFlags: { s1: { notEvaluated: ["G"] } } });
    expect(ne.input.followUps[0]!.targets[1]).toEqual({ id: "G", status: "not_evaluated" });
    expect(ne.conflicts).toEqual([]);
  });
});

describe("flags that contradict a measurement", () => {
  const node = lesion("N", "lymph node", { s0: 14, s1: 12, s2: 8 }, true);
  const ntLung = lesion("P", "lung", { s0: 8, s1: 8 });
  const args = {
    studies: studies.slice(0, 3), tracks: [liver, node, ntLung],
    designations: [{ trackId: "L", role: "target" as const }, { trackId: "N", role: "non-target" as const }, { trackId: "P", role: "non-target" as const }],
  };

  it("are reported as conflicts and the measurement is used", () => {
    const { input, conflicts } = inputFromTracks({
      ...args,
      followUpFlags: { s1: { disappeared: ["L"], nonTargetStatus: { N: "absent" }, notEvaluated: ["P"] }, s2: { notEvaluated: ["L"] } },
    });
    expect(input.followUps[0]!.targets[0]).toEqual({ id: "L", status: "measured", value: 26 });
    expect(input.followUps[0]!.nonTargets).toEqual([{ id: "N", status: "present" }, { id: "P", status: "present" }]);
    expect(input.followUps[1]!.targets[0]).toEqual({ id: "L", status: "measured", value: 24 });
    expect(conflicts.map((c) => [c.studyKey, c.trackId, c.flag])).toEqual([
      ["s1", "L", "disappeared"], ["s1", "N", "nonTargetStatus"], ["s1", "P", "notEvaluated"], ["s2", "L", "notEvaluated"],
    ]);
    expect(conflicts[0]!.message).toContain("26 mm");
    // Each conflict says which flag met which measurement, so a reader can act on it.
    expect(conflicts.map((c) => c.message)).toEqual([
      expect.stringMatching(/^flagged disappeared but measured/),
      expect.stringMatching(/^status absent/),
      expect.stringMatching(/^flagged not evaluated but measured/),
      expect.stringMatching(/^flagged not evaluated but measured/),
    ]);
  });

  it("too small to measure on a lesion measured >= 10 mm conflicts; below 10 mm it is the reader's call", () => {
    const big = inputFromTracks({ ...args, followUpFlags: { s1: { tooSmallToMeasure: ["L"] } } });
    expect(big.conflicts.map((c) => c.flag)).toEqual(["tooSmallToMeasure"]);
    expect(big.input.followUps[0]!.targets[0]).toEqual({ id: "L", status: "measured", value: 26 });
    const small = inputFromTracks({ ...args, tracks: [lesion("L", "liver", { s0: 40, s1: 9.9 }), node, ntLung], followUpFlags: { s1: { tooSmallToMeasure: ["L"] } } });
    expect(small.conflicts).toEqual([]);
    expect(small.input.followUps[0]!.targets[0]).toEqual({ id: "L", status: "tstm" });
    // The boundary is the measurable minimum itself: exactly 10.0 mm conflicts.
    const edge = inputFromTracks({ ...args, tracks: [lesion("L", "liver", { s0: 40, s1: 10 }), node, ntLung], followUpFlags: { s1: { tooSmallToMeasure: ["L"] } } });
    expect(edge.conflicts.map((c) => c.message)).toEqual([expect.stringMatching(/^flagged too small to measure/)]);
  });

  it("a non-target not seen follows the reader's flag: not evaluated, or absent when flagged disappeared", () => {
    // P (lung non-target) is seen at s0 and s1 only.
    const ne = inputFromTracks({ ...args, followUpFlags: { s2: { notEvaluated: ["P"] } } });
    expect(ne.input.followUps[1]!.nonTargets[1]).toEqual({ id: "P", status: "not_evaluated" });
    const gone = inputFromTracks({ ...args, followUpFlags: { s2: { disappeared: ["P"] } } });
    expect(gone.input.followUps[1]!.nonTargets[1]).toEqual({ id: "P", status: "absent" });
    expect([...ne.conflicts, ...gone.conflicts]).toEqual([]);
  });

  it("a node below 10 mm short axis is normal: \"absent\" does not conflict", () => {
    const { conflicts, input } = inputFromTracks({ ...args, followUpFlags: { s2: { nonTargetStatus: { N: "absent" } } } });
    expect(conflicts).toEqual([]);
    expect(input.followUps[1]!.nonTargets[0]).toEqual({ id: "N", status: "absent" });
  });
});

describe("an equivocal new lesion (§8.3)", () => {
  // Liver target shrinks 40 -> 26 -> 24 -> 22 (PR); X appears equivocal at s1, is gone at s2.
  const x = (sizes: Record<string, number>) => lesion("X", "lung", sizes);
  const run = (tracks: TrackForRecist[], flags: Record<string, FollowUpFlags> = { s1: { equivocalNew: ["X"] } }) =>
    assessTracks({ studies, tracks, designations: [{ trackId: "L", role: "target" }], followUpFlags: flags }).result;

  it("stays equivocal while absent: PR at every scan, no progression", () => {
    const result = run([liver, x({ s1: 6 })]);
    expect(result.timepoints!.map((t) => t.overallResponse)).toEqual(["PR", "PR", "PR"]);
    expect(result.progressionDate).toBeNull();
    expect(result.bestOverallResponse).toEqual({ unconfirmed: "PR", confirmed: "PR" });
  });

  it("is confirmed when seen again without the flag: PD backdated to its first appearance", () => {
    const result = run([liver, x({ s1: 6, s3: 8 })]);
    expect(result.timepoints!.map((t) => t.overallResponse)).toEqual(["PD", "PR", "PD"]);
    expect(result.progressionDate).toBe("2024-02-26");
  });

  it("seen again and still flagged equivocal stays unconfirmed", () => {
    const result = run([liver, x({ s1: 6, s3: 8 })], { s1: { equivocalNew: ["X"] }, s3: { equivocalNew: ["X"] } });
    expect(result.progressionDate).toBeNull();
  });
});

describe("iRECIST flags", () => {
  it("passes increasedSinceLast per track and symptomDriven per study to the engine", () => {
    const nt = lesion("P", "lung", { s0: 12, s1: 12 });
    const y = lesion("Y", "bone", { s1: 6 });
    const { input } = inputFromTracks({
      studies: studies.slice(0, 2), tracks: [liver, nt, y],
      designations: [{ trackId: "L", role: "target" }, { trackId: "P", role: "non-target" }],
      followUpFlags: { s1: { increasedSinceLast: ["P", "Y"], symptomDriven: true } },
      params: { criteria: "iRECIST" },
    });
    const f = input.followUps[0]!;
    expect(f.symptomDriven).toBe(true);
    expect(f.nonTargets).toEqual([{ id: "P", status: "present", increasedSinceLast: true }]);
    expect(f.newLesions).toEqual([{ id: "Y", organ: "bone", equivocal: false, measurable: false, status: "present", increasedSinceLast: true }]);
  });
});
