import { describe, expect, it } from "vitest";
import { derivePatient } from "../../../src/domain/timeline/derive.ts";
import { buildTimeline } from "../../../src/domain/timeline/document.ts";
import { epochDays } from "../../../src/domain/timeline/time-axis.ts";
import type { CohortSettings, RecistAnnotations, StudyRecord } from "../../../src/domain/timeline/types.ts";
import type { Observation } from "../../../src/domain/observation.ts";
import { sdtmOfPatient, type TimelineForSdtm } from "../../../src/io/sdtm/map.ts";
import { expectSdtmRules } from "./sdtm-rules.ts";

const cohort: CohortSettings = { protocol: {}, protocolVersion: 1, scanIntervalDays: 56, bodySizeMm: [350, 300, 900] };
const lesion = (id: string, pos: [number, number, number], long: number, organ: string, nodal = false, short = Math.round(long * 0.6)): Observation =>
  ({ id, positionMm: pos, longAxisMm: long, shortAxisMm: nodal ? short : Math.min(short, long), organ, lesionType: organ, nodal });
const study = (key: string, date: string, observations: Observation[]): StudyRecord =>
  ({ key, date, dayOffset: null, orderIndex: null, ageYears: null, timeDays: epochDays(date), timeAxis: "date", modality: "CT", sliceThicknessMm: 5, observations });

/** A: liver target that splits into A1 + A2; B, C: lung targets that merge; D: liver target that vanishes; N: nodal target, later too small to measure. */
function patientWithSplitAndMerge(recist: RecistAnnotations = {}) {
  const studies = [
    study("S1", "2024-01-01", [lesion("A", [0, 0, 0], 40, "liver"), lesion("D", [0, 0, 150], 15, "liver"), lesion("B", [120, 0, 0], 30, "lung"), lesion("C", [160, 0, 0], 25, "lung"), lesion("N", [-120, 0, 0], 25, "lymph node", true, 20)]),
    study("S2", "2024-03-01", [lesion("A1", [0, 8, 0], 22, "liver"), lesion("A2", [0, -12, 0], 18, "liver"), lesion("BC", [140, 0, 0], 50, "lung"), lesion("N2", [-120, 0, 0], 18, "lymph node", true, 12)]),
    study("S3", "2024-05-01", [lesion("A1b", [0, 8, 0], 20, "liver"), lesion("BCb", [140, 0, 0], 45, "lung"), lesion("N3", [-120, 0, 0], 14, "lymph node", true, 9)]),
  ];
  const corrections = [["A", "A1"], ["A", "A2"], ["B", "BC"], ["C", "BC"]].map(([from, to]) => ({ kind: "must" as const, fromObservationId: from!, toObservationId: to! }));
  const d = derivePatient({ studies, corrections, recist, referenceDate: null, cohort });
  const { document } = buildTimeline({ cohortId: "c", patientId: "P1", sex: "F", birthYear: 1960, metadata: {}, referenceDate: null, revision: 1 }, cohort, d, [], { kind: "test", version: "0" });
  return JSON.parse(JSON.stringify(document)) as TimelineForSdtm;
}

describe("SDTM mapping of a stored timeline", () => {
  it("keeps the rules: links, SUMDIAM = target sizes = stored sum, responses = stored RECIST", () => {
    const timeline = patientWithSplitAndMerge();
    const rows = sdtmOfPatient("STUDY1", { patientId: "P1", timeline, recistInputs: {} }, {});
    expectSdtmRules(rows, timeline);
    expect(rows.rs.filter((r) => r.RSTESTCD === "OVRLRESP").length).toBe(2);
  });

  it("records a split as T0x.1 / T0x.2 (TUSPLIT) and a merge as T0x/T0y (TUMERGE); the parents are NOT DONE afterwards", () => {
    const timeline = patientWithSplitAndMerge();
    const labelOf = (id: string) => timeline.tracks.find((t) => t.observations.some((o) => o.observationId === id))!.label;
    const [a, b, c] = [labelOf("A"), labelOf("B"), labelOf("C")];
    const rows = sdtmOfPatient("STUDY1", { patientId: "P1", timeline, recistInputs: {} }, {});
    const tu = (lnk: string) => rows.tu.find((r) => r.TULNKID === lnk);
    expect(tu(`${a}.1`)).toMatchObject({ TUTESTCD: "TUSPLIT", TUTEST: "Tumor Split", TUGRPID: a, VISITNUM: 2, TULOC: "LIVER" });
    expect(tu(`${a}.2`)).toMatchObject({ TUTESTCD: "TUSPLIT", TUGRPID: a, VISITNUM: 2 });
    expect(tu(`${b}/${c}`)).toMatchObject({ TUTESTCD: "TUMERGE", TUTEST: "Tumor Merged", VISITNUM: 2 });
    expect(tu(a)).toMatchObject({ TUTESTCD: "TUMIDENT", TUORRES: "TARGET", VISIT: "BASELINE" });
    const tr = (lnk: string, visit: number) => rows.tr.filter((r) => r.TRLNKID === lnk && r.VISITNUM === visit);
    expect(tr(a, 2)).toEqual([expect.objectContaining({ TRSTAT: "NOT DONE", TRREASND: "TUMOR SPLIT", TRSTRESN: null })]);
    expect(tr(b, 3)).toEqual([expect.objectContaining({ TRSTAT: "NOT DONE", TRREASND: "TUMOR MERGED" })]);
    expect(tr(`${a}.1`, 2).some((r) => r.TRTESTCD === "LDIAM" && r.TRSTRESN === 22)).toBe(true);
  });

  it("codes a vanished target NOT PRESENT = 0, a node by LPERP, too small to measure as the standard 5 mm", () => {
    const base = patientWithSplitAndMerge();
    const n = base.tracks.find((t) => t.nodal)!;
    const d = base.tracks.find((t) => t.observations[0]!.observationId === "D")!;
    // D is not seen at S2: the reader says it has disappeared (unflagged it would be not evaluated).
    const studyFlags = { S2: { disappeared: [d.trackId] }, S3: { tooSmallToMeasure: [n.trackId] } };
    const timeline = patientWithSplitAndMerge({ studyFlags });
    const rows = sdtmOfPatient("STUDY1", { patientId: "P1", timeline, recistInputs: { studyFlags } }, {});
    expectSdtmRules(rows, timeline);
    const at = (lnk: string, visit: number) => rows.tr.find((r) => r.TRLNKID === lnk && r.VISITNUM === visit)!;
    expect(at(d.label, 2)).toMatchObject({ TRTESTCD: "LDIAM", TRORRES: "NOT PRESENT", TRSTRESN: 0, TRSTRESU: "mm" });
    expect(at(n.label, 1)).toMatchObject({ TRTESTCD: "LPERP", TRSTRESN: 20 });
    expect(at(n.label, 2)).toMatchObject({ TRTESTCD: "LPERP", TRSTRESN: 12 });
    expect(at(n.label, 3)).toMatchObject({ TRTESTCD: "LPERP", TRORRES: "TOO SMALL TO MEASURE", TRSTRESC: "5", TRSTRESN: 5 });
    // Dates are real here, so they are exported.
    expect(at(n.label, 3).TRDTC).toBe("2024-05-01");
  });

  it("the rule check itself fails on a wrong size, a dangling link or a changed response", () => {
    const timeline = patientWithSplitAndMerge();
    const fresh = () => sdtmOfPatient("STUDY1", { patientId: "P1", timeline, recistInputs: {} }, {});
    const wrongSize = fresh();
    wrongSize.tr.find((r) => r.TRTESTCD === "LDIAM" && r.TRGRPID === "TARGET")!.TRSTRESN = 99;
    expect(() => expectSdtmRules(wrongSize, timeline)).toThrow();
    const dangling = fresh();
    dangling.tu.shift();
    expect(() => expectSdtmRules(dangling, timeline)).toThrow();
    const response = fresh();
    response.rs.find((r) => r.RSTESTCD === "OVRLRESP")!.RSORRES = "CR";
    expect(() => expectSdtmRules(response, timeline)).toThrow();
  });
});
