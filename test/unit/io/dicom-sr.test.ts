import { describe, expect, it } from "vitest";
import dcmjs from "dcmjs";
import { readMeasurementReport, type SrReport } from "../../../src/io/dicom-sr/read.ts";
import { DicomReadError, parseDicomJson, parsePart10 } from "../../../src/io/dicom-sr/shim.ts";
import { imageGeometryOf } from "../../../src/io/dicom-sr/geometry.ts";
import { buildMeasurementReport, type SrStudyOut } from "../../../src/io/dicom-sr/write.ts";
import { trackingUidLinks } from "../../../src/io/dicom-sr/tracking-links.ts";
import { derivedUid, isDicomUid } from "../../../src/io/dicom-sr/uids.ts";
import { boundaryOf, splitMultipart } from "../../../src/io/dicom-sr/multipart.ts";
import { AREA_ONLY, BIDIRECTIONAL_MM, PIXELS, checkWithDicomTools, hasSrData, items, multipartRelated, part10, srBytes, srDataset, tools } from "../../helpers/dicom-sr.ts";

const report = (r: ReturnType<typeof readMeasurementReport>): SrReport => {
  if (!r.ok) throw new Error(r.reason);
  return r.report;
};

describe.skipIf(!hasSrData)("DICOM SR reader on the shared public reports", () => {
  it("dcmjs structured_report: the bidirectional and the two lengths are lesions in mm; area and arrow groups are skipped with reasons", () => {
    const r = report(readMeasurementReport(srDataset(BIDIRECTIONAL_MM)));
    expect(r.patient.id).toBeUndefined(); // anonymised: the caller must name the patient
    expect(r.date).toBe("2020-06-17"); // StudyDate empty: SeriesDate
    expect(r.studyUid).toBe("1.3.6.1.4.1.25403.52237031786.3872.20100510032220.1");
    expect(r.lesions.map((l) => [l.group, l.longAxisMm, l.shortAxisMm])).toEqual([
      [3, 93.9, 47],
      [4, 39.366492911614, null],
      [5, 133.992062006165, null],
    ]);
    expect(r.lesions[0]!.trackingUid).toBe("2.25.727123647032892115231673449406461991117");
    expect(r.lesions.every((l) => l.positionMm === undefined && l.image)).toBe(true); // 2-D coordinates, no geometry given
    expect(r.skipped.map((s) => s.group)).toEqual([1, 2, 6]);
    expect(r.skipped[0]!.reason).toMatch(/without a value/); // the NUM that lacks its Measured Value Sequence
    expect(r.skipped[1]!.reason).toMatch(/no linear measurement.*mm2/); // an area, even though coded with the Length code
  });

  it("dcmjs sample-sr (OHIF bidirectional in pixels): the group is refused with that reason, never read as mm", () => {
    const r = report(readMeasurementReport(srDataset(PIXELS)));
    expect(r.patient).toEqual({ id: "PD-1-Lung-00018", sex: "M" });
    expect(r.lesions).toEqual([]);
    expect(r.skipped).toEqual([{ group: 1, reason: expect.stringMatching(/pixels.*refused rather than read as mm/) }]);
  });

  it("highdicom sr_document: a planar ROI with only an area is skipped (no lesion size)", () => {
    const r = report(readMeasurementReport(srDataset(AREA_ONLY)));
    expect(r).toMatchObject({ patient: { id: "1CT1", sex: "U" }, date: "2004-01-19", observer: "Foo", lesions: [] });
    expect(r.skipped).toEqual([{ group: 1, reason: expect.stringMatching(/no linear measurement.*Area of defined region in cm2/) }]);
  });

  it("converts cm and um to mm and reads the newer SCT axis codes like the older SRT ones", () => {
    const ds = srDataset(BIDIRECTIONAL_MM);
    for (const it of items(ds)) {
      const name = (it.ConceptNameCodeSequence as any)?.[0];
      const mv = (it.MeasuredValueSequence as any)?.[0];
      if (name?.CodeValue === "G-A185") {
        Object.assign(name, { CodeValue: "103339001", CodingSchemeDesignator: "SCT", CodeMeaning: "something else" });
        mv.NumericValue = 9.39;
        mv.MeasurementUnitsCodeSequence[0].CodeValue = "cm";
      }
      if (name?.CodeValue === "G-A186") {
        mv.NumericValue = 47000;
        mv.MeasurementUnitsCodeSequence[0].CodeValue = "um";
      }
    }
    const r = report(readMeasurementReport(parsePart10(part10(ds))));
    expect(r.lesions[0]!.longAxisMm).toBeCloseTo(93.9, 9);
    expect(r.lesions[0]!.shortAxisMm).toBeCloseTo(47, 9);
  });

  it("places 2-D coordinates in patient mm when the referenced image's geometry is given", () => {
    const image = { SOPInstanceUID: "1.3.6.1.4.1.25403.52237031786.3872.20100510032220.11", ImagePositionPatient: [-100, -200, 50], ImageOrientationPatient: [1, 0, 0, 0, 1, 0], PixelSpacing: [0.5, 0.7] };
    const g = imageGeometryOf(image)!;
    const r = report(readMeasurementReport(srDataset(BIDIRECTIONAL_MM), new Map([[g.sopInstanceUid, g]])));
    // Long axis drawn from (71.5, 329) to (139.5, 397): midpoint column 105.5, row 363.
    expect(r.lesions[0]!.positionMm).toEqual([-100 + 105 * 0.7, -200 + 362.5 * 0.5, 50].map((x) => expect.closeTo(x, 9)));
    expect(r.lesions[2]!.positionMm).toBeUndefined(); // drawn on image .12, whose geometry is unknown
  });

  it("reads DICOM JSON (one dataset, or an array as DICOMweb serves it) like the Part 10 file", () => {
    const json = dcmjs.data.DicomMessage.readFile(srBytes(BIDIRECTIONAL_MM).slice().buffer).dict;
    const fromJson = parseDicomJson(JSON.parse(JSON.stringify(json)));
    expect(report(readMeasurementReport(fromJson[0]!))).toEqual(report(readMeasurementReport(srDataset(BIDIRECTIONAL_MM))));
    expect(parseDicomJson([json, json])).toHaveLength(2);
    expect(() => parseDicomJson({ PatientID: "x" })).toThrow(DicomReadError);
  });

  it("refuses what is not a TID 1500 report, with the reason", () => {
    const ds = srDataset(BIDIRECTIONAL_MM);
    (ds.ConceptNameCodeSequence as any)[0].CodeValue = "18748-4";
    (ds.ConceptNameCodeSequence as any)[0].CodingSchemeDesignator = "LN";
    expect(readMeasurementReport(ds)).toEqual({ ok: false, reason: expect.stringMatching(/not a TID 1500 Imaging Measurement Report.*18748-4/) });
    expect(readMeasurementReport({ ...srDataset(BIDIRECTIONAL_MM), SOPClassUID: "1.2.840.10008.5.1.4.1.1.2" })).toEqual({ ok: false, reason: expect.stringMatching(/not a DICOM Structured Report/) });
    const anatomy = srDataset(BIDIRECTIONAL_MM);
    for (const it of items(anatomy)) {
      if ((it.ConceptNameCodeSequence as any)?.[0]?.CodeValue === "125007")
        (it.ContentSequence as any[]).push({ RelationshipType: "CONTAINS", ValueType: "CODE", ConceptNameCodeSequence: [{ CodeValue: "276214006", CodingSchemeDesignator: "SCT", CodeMeaning: "Finding category" }], ConceptCodeSequence: [{ CodeValue: "91723000", CodingSchemeDesignator: "SCT", CodeMeaning: "Anatomical structure" }] });
    }
    const r = report(readMeasurementReport(anatomy));
    expect(r.lesions).toEqual([]);
    expect(r.skipped.filter((s) => /Anatomical Structure/.test(s.reason)).map((s) => s.group)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("a truncated or non-DICOM file is a read error with the reason", () => {
    const bytes = srBytes(BIDIRECTIONAL_MM);
    expect(() => parsePart10(bytes.subarray(0, 3000))).toThrow(/truncated or corrupt/);
    expect(() => parsePart10(new TextEncoder().encode("patient_id,study_key\n"))).toThrow(/not a DICOM Part 10 file/);
  });
});

const sample = (positions: boolean): SrStudyOut => ({
  patient: { id: "P7", sex: "F", birthYear: 1958 },
  study: { uid: derivedUid("study", "c", "P7", "s2"), key: "s2", date: "2024-03-05" },
  timePoint: "follow-up 1",
  response: "PR",
  lesions: [
    { trackLabel: "T01", trackingUid: derivedUid("track", "c", "P7", "T01"), longAxisMm: 21.25, shortAxisMm: 14.5, organ: "liver", lesionType: "metastasis", nodal: false, role: "target", positionMm: positions ? [10.5, -22, 130.25] : null },
    { trackLabel: "T02", trackingUid: derivedUid("track", "c", "P7", "T02"), longAxisMm: 18, shortAxisMm: 12, organ: "mediastinum", lesionType: null, nodal: true, role: "target", positionMm: null },
    { trackLabel: "T03", trackingUid: derivedUid("track", "c", "P7", "T03"), longAxisMm: 8.4, shortAxisMm: null, organ: null, lesionType: null, nodal: false, role: "new", positionMm: null },
  ],
  sopInstanceUid: derivedUid("sr", "x", String(positions)),
  seriesUid: derivedUid("series"),
  frameOfReferenceUid: derivedUid("frame"),
  contentDateTime: new Date("2026-01-15T12:00:00Z"),
});

describe("DICOM SR writer", () => {
  it.each([false, true])("writes a report the reader reads back (positions: %s)", (positions) => {
    const bytes = part10(buildMeasurementReport(sample(positions)));
    const r = report(readMeasurementReport(parsePart10(bytes)));
    expect(r).toMatchObject({ patient: { id: "P7", sex: "F" }, date: "2024-03-05", observer: "lesiontrack", skipped: [] });
    expect(r.lesions.map((l) => ({ id: l.trackingId, uid: l.trackingUid, long: l.longAxisMm, short: l.shortAxisMm, organ: l.organ, type: l.lesionType, nodal: l.nodal, role: l.role, pos: l.positionMm })))
      .toEqual(sample(positions).lesions.map((l) => ({ id: l.trackLabel, uid: l.trackingUid, long: l.longAxisMm, short: l.shortAxisMm, organ: l.organ ?? undefined, type: l.nodal ? "lymph node" : l.lesionType ?? undefined, nodal: l.nodal, role: l.role, pos: l.positionMm ?? undefined })));
  });

  it.skipIf(!tools.dciodvfy && !tools.dsrdump).each([false, true])("passes dciodvfy with no errors and parses with dsrdump (positions: %s)", (positions) => {
    const check = checkWithDicomTools(part10(buildMeasurementReport(sample(positions))));
    if (check.dciodvfyErrors) expect(check.dciodvfyErrors).toEqual([]);
    if (check.dciodvfyErrors) expect(check.dciodvfyOutput).toMatch(positions ? /Comprehensive3DSR/ : /ComprehensiveSR/);
    if (check.dsrdump) {
      expect(check.dsrdump.status).toBe(0);
      expect(check.dsrdump.output).toMatch(/Imaging Measurement Report/);
      expect(check.dsrdump.output).toMatch(/Long Axis.*="21.25" \(mm,UCUM/);
      expect(check.dsrdump.output).toMatch(/RECIST 1.1 overall response.*PR/);
    }
  });
});

describe("DICOM SR helpers", () => {
  it("derives 2.25 UIDs that are valid, stable and distinct", () => {
    const a = derivedUid("track", "c1", "P1", "T01");
    expect(isDicomUid(a) && a.startsWith("2.25.")).toBe(true);
    expect(derivedUid("track", "c1", "P1", "T01")).toBe(a);
    expect(derivedUid("track", "c1", "P1", "T02")).not.toBe(a);
    expect(derivedUid("track", "c1", "P1T", "01")).not.toBe(a);
    expect(isDicomUid("1.2.03")).toBe(false);
    expect(isDicomUid("baseline")).toBe(false);
  });

  it("links a Tracking UID seen in several studies in time order; one study alone, or twice in one study, links nothing", () => {
    const o = (id: string, trackingUid?: string) => ({ id, source: trackingUid ? { trackingUid, observer: `reader-${id}` } : null });
    const links = trackingUidLinks([
      { observations: [o("a1", "U1"), o("a2", "U2"), o("a3", "U3"), o("a4", "U3")] },
      { observations: [o("b1", "U1"), o("b2"), o("b3", "U3")] },
      { observations: [o("c1", "U1"), o("c2", "U2"), o("c3", "U4")] },
    ]);
    expect(links).toEqual([
      { from: "a1", to: "b1", trackingUid: "U1", observer: "reader-b1" },
      { from: "b1", to: "c1", trackingUid: "U1", observer: "reader-c1" },
      { from: "a2", to: "c2", trackingUid: "U2", observer: "reader-c2" },
    ]);
  });

  it("splits a multipart/related body byte for byte and names a broken one", () => {
    const parts = [new Uint8Array([0, 13, 10, 45, 45, 255]), new Uint8Array([1, 2, 3])];
    const { body, contentType } = multipartRelated(parts);
    const boundary = boundaryOf(contentType)!;
    expect(splitMultipart(body, boundary, "application/dicom").map((p) => [p.type, [...p.bytes]])).toEqual(parts.map((p) => ["application/dicom", [...p]]));
    expect(() => splitMultipart(body.subarray(0, body.length - 30), boundary, "application/dicom")).toThrow(/closing boundary/);
    expect(() => splitMultipart(new Uint8Array([1, 2, 3]), boundary, "application/dicom")).toThrow(/no multipart boundary/);
  });
});
