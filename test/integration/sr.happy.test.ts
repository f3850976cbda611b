import { describe, expect, it } from "vitest";
import dcmjs from "dcmjs";
import { backends } from "../helpers/backends.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send, type TestApp } from "../helpers/test-app.ts";
import { BIDIRECTIONAL_MM, checkWithDicomTools, followUp, hasSrData, multipartRelated, part10, srBytes } from "../helpers/dicom-sr.ts";
import { exportCohortSr, type SrFile } from "../../src/service/export-sr.ts";

const postSr = (t: TestApp, cohortId: string, body: Uint8Array | string, contentType: string, query = "") =>
  t.app.request(`/v1/cohorts/${cohortId}/imports/sr${query}`, { method: "POST", headers: { "content-type": contentType }, body: body as BodyInit });
const timeline = async (t: TestApp, cohortId: string, patientId: string) => (await (await send(t.app, "GET", `/v1/cohorts/${cohortId}/patients/${patientId}/timeline`)).json()) as any;
const r1 = (x: number) => Math.round(x * 10) / 10;

describe.each(backends)("DICOM SR import and export ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);

  it.skipIf(!hasSrData)("imports the anonymised bidirectional report (application/dicom, ?patientId); a rerun changes nothing", async () => {
    const cohortId = await suite.cohort();
    const res = await postSr(suite.t, cohortId, srBytes(BIDIRECTIONAL_MM), "application/dicom", "?patientId=anon-1");
    expect(res.status).toBe(200);
    const s = (await res.json()) as any;
    expect(s).toMatchObject({ format: "dicom-sr", rowsRead: 1, rowsImported: 1, rowsRejected: 0, patients: 1, patientsChanged: 1, studies: 1, lesions: 3 });
    expect(s.sr).toMatchObject({ observationsWithoutPosition: 3, confirmedLinks: 0 });
    expect(s.sr.groupsSkipped.map((g: any) => g.reason)).toEqual([expect.stringMatching(/group 1: .*without a value/), expect.stringMatching(/group 2: .*mm2/), expect.stringMatching(/group 6: .*mm2/)]);
    const tl = await timeline(suite.t, cohortId, "anon-1");
    expect(tl.studies.map((st: any) => [st.studyKey, st.date])).toEqual([["1.3.6.1.4.1.25403.52237031786.3872.20100510032220.1", "2020-06-17"]]);
    expect(tl.tracks.map((tr: any) => [r1(tr.observations[0].longAxisMm), r1(tr.observations[0].shortAxisMm)]).sort()).toEqual([[134, 0], [39.4, 0], [93.9, 47]].sort());
    const again = await postSr(suite.t, cohortId, srBytes(BIDIRECTIONAL_MM), "application/dicom", "?patientId=anon-1");
    expect(await again.json()).toMatchObject({ rowsImported: 1, patientsChanged: 0 });
  });

  it.skipIf(!hasSrData)("the same Tracking UIDs in a later study are a reader's links: stored as confirmed links with the observer as actor", async () => {
    const cohortId = await suite.cohort();
    const baseline = followUp(BIDIRECTIONAL_MM, { studyUid: "1.2.826.0.1.3680043.10.999.1", date: "2020-06-17", scale: 1, patientId: "PT-7" });
    const later = followUp(BIDIRECTIONAL_MM, { studyUid: "1.2.826.0.1.3680043.10.999.2", date: "2020-08-12", scale: 0.8, patientId: "PT-7" });
    // Baseline first, follow-up in a later upload: the link is made against the stored study.
    expect((await postSr(suite.t, cohortId, part10(baseline), "application/dicom")).status).toBe(200);
    const res = await postSr(suite.t, cohortId, part10(later), "application/dicom");
    expect(await res.json()).toMatchObject({ rowsImported: 1, patientsChanged: 1, sr: { confirmedLinks: 3 } });
    const tl = await timeline(suite.t, cohortId, "PT-7");
    expect(tl.tracks).toHaveLength(3);
    for (const tr of tl.tracks) {
      expect(tr.observations.map((o: any) => o.studyKey)).toEqual(["1.2.826.0.1.3680043.10.999.1", "1.2.826.0.1.3680043.10.999.2"]);
      expect(tr.observations[1].link.source).toBe("person");
      expect(r1(tr.observations[1].longAxisMm)).toBe(r1(tr.observations[0].longAxisMm * 0.8));
    }
    const corrections = (await (await send(suite.t.app, "GET", `/v1/cohorts/${cohortId}/patients/PT-7/corrections`)).json()) as any;
    const list = corrections.items ?? corrections.corrections ?? corrections;
    expect(list.map((c: any) => [c.kind, c.actor])).toEqual([["must", "unknown^unknown"], ["must", "unknown^unknown"], ["must", "unknown^unknown"]]);

    // OHIF mints new UIDs on every save: a follow-up with fresh UIDs tells nothing, the matcher links as usual.
    const other = [
      followUp(BIDIRECTIONAL_MM, { studyUid: "1.2.826.0.1.3680043.10.999.3", date: "2020-06-17", scale: 1, patientId: "PT-8" }),
      followUp(BIDIRECTIONAL_MM, { studyUid: "1.2.826.0.1.3680043.10.999.4", date: "2020-08-12", scale: 0.9, patientId: "PT-8", newTrackingUids: true }),
    ];
    const mp = multipartRelated(other.map(part10));
    const res2 = await postSr(suite.t, cohortId, mp.body, mp.contentType);
    expect(await res2.json()).toMatchObject({ rowsRead: 2, rowsImported: 2, studies: 2, sr: { confirmedLinks: 0 } });
    const tl2 = await timeline(suite.t, cohortId, "PT-8");
    expect(tl2.tracks.flatMap((tr: any) => tr.observations.slice(1).map((o: any) => o.link?.source))).not.toContain("person");
  });

  it.skipIf(!hasSrData)("a report's sex fills in a new patient but never overwrites what people set on a stored one", async () => {
    const cohortId = await suite.cohort();
    await makePatient(suite.t, cohortId, "PR-1", { sex: "M", referenceDate: "2020-05-01", metadata: { arm: "B" } });
    const withSex = (pid: string, uid: string) => ({ ...followUp(BIDIRECTIONAL_MM, { studyUid: uid, date: "2020-06-17", scale: 1, patientId: pid }), PatientSex: "F" });
    const mp = multipartRelated([part10(withSex("PR-1", "1.2.826.0.1.3680043.10.996.1")), part10(withSex("PR-2", "1.2.826.0.1.3680043.10.996.2"))]);
    expect(await (await postSr(suite.t, cohortId, mp.body, mp.contentType)).json()).toMatchObject({ rowsImported: 2, patients: 2 });
    expect((await timeline(suite.t, cohortId, "PR-1")).patient).toMatchObject({ sex: "M", referenceDate: "2020-05-01", metadata: { arm: "B" } });
    expect((await timeline(suite.t, cohortId, "PR-2")).patient).toMatchObject({ sex: "F" });
  });

  it.skipIf(!hasSrData)("DICOM JSON with the image's header places 2-D coordinates in patient mm", async () => {
    const cohortId = await suite.cohort();
    const reportJson = dcmjs.data.DicomMessage.readFile(srBytes(BIDIRECTIONAL_MM).slice().buffer).dict;
    const image = { "00080016": { vr: "UI", Value: ["1.2.840.10008.5.1.4.1.1.2"] }, "00080018": { vr: "UI", Value: ["1.3.6.1.4.1.25403.52237031786.3872.20100510032220.11"] },
      "00200032": { vr: "DS", Value: [-100, -200, 50] }, "00200037": { vr: "DS", Value: [1, 0, 0, 0, 1, 0] }, "00280030": { vr: "DS", Value: [0.5, 0.7] } };
    const res = await postSr(suite.t, cohortId, JSON.stringify([reportJson, image]), "application/dicom+json", "?patientId=anon-2");
    const s = (await res.json()) as any;
    expect(s).toMatchObject({ rowsRead: 2, rowsImported: 1, rowsRejected: 1, lesions: 3, sr: { observationsWithoutPosition: 1 } });
    expect(s.rejected[0].reason).toMatch(/not a DICOM Structured Report.*geometry was used/);
    const tl = await timeline(suite.t, cohortId, "anon-2");
    const big = tl.tracks.find((tr: any) => r1(tr.observations[0].longAxisMm) === 93.9);
    expect(big.observations[0].positionMm).toEqual([-100 + 105 * 0.7, -200 + 362.5 * 0.5, 50].map((x) => expect.closeTo(x, 6)));
  });

  it("round trip: export a cohort, import the reports into a new cohort: same patients, studies, sizes and tracks, now as confirmed links", async () => {
    const source = await suite.cohort();
    await makePatient(suite.t, source, "P1");
    await makePatient(suite.t, source, "P2", { sex: "M", birthYear: 1949 });
    const put = async (p: string, key: string, body: unknown) => expect((await send(suite.t.app, "PUT", `/v1/cohorts/${source}/patients/${p}/studies/${key}`, body)).status).toBeLessThan(300);
    await put("P1", "baseline", studyBody("2024-01-10", [{ pos: [10, 20, 30], long: 31.2 }, { pos: [-60, 5, 80], long: 18.4, organ: "lung" }, { pos: [40, -30, 120], long: 15.6, organ: "lymph node", nodal: true }]));
    await put("P1", "week8", studyBody("2024-03-06", [{ pos: [12, 21, 28], long: 25.1 }, { pos: [-58, 6, 82], long: 16.3, organ: "lung" }, { pos: [41, -29, 121], long: 11.2, organ: "lymph node", nodal: true }, { pos: [150, 150, 10], long: 12.7, organ: "bone" }]));
    await put("P1", "week16", studyBody("2024-05-01", [{ pos: [11, 19, 29], long: 22.8 }, { pos: [42, -31, 119], long: 9.6, organ: "lymph node", nodal: true }, { pos: [151, 149, 11], long: 14.2, organ: "bone" }]));
    await put("P2", "s1", studyBody("2023-11-02", [{ pos: [0, 0, 0], long: 44.4, organ: "kidney" }]));
    await put("P2", "s2", studyBody("2024-01-02", [{ pos: [3, 1, -2], long: 47.9, organ: "kidney" }]));

    const files: SrFile[] = [];
    const counts = await exportCohortSr({ ctx: { ...suite.t.deps, actor: "test-export" }, cohortId: source, sink: async (f) => void files.push(f) });
    expect(counts).toEqual({ patients: 2, reports: 5 });
    for (const f of files) {
      const check = checkWithDicomTools(f.bytes);
      if (check.dciodvfyErrors) expect(check.dciodvfyErrors, check.dciodvfyOutput).toEqual([]);
      if (check.dsrdump) expect(check.dsrdump.status, check.dsrdump.output).toBe(0);
    }
    // The study endpoint serves the same bytes as the cohort export.
    const one = files.find((f) => f.patientId === "P1" && f.studyKey === "week8")!;
    const got = await suite.t.app.request(`/v1/cohorts/${source}/patients/P1/studies/week8/sr`);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/dicom");
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(one.bytes);

    const target = await suite.cohort();
    const mp = multipartRelated(files.map((f) => f.bytes));
    const res = await postSr(suite.t, target, mp.body, mp.contentType);
    expect(await res.json()).toMatchObject({ rowsRead: 5, rowsImported: 5, rowsRejected: 0, patients: 2, studies: 5, lesions: 12, sr: { observationsWithoutPosition: 0 } });

    /** Per patient: study dates, sizes per study to 0.1 mm, and each track as its (date, size) chain. */
    const shape = async (cohortId: string, p: string) => {
      const tl = await timeline(suite.t, cohortId, p);
      const dateOf = new Map(tl.studies.map((st: any) => [st.studyKey, st.date]));
      return {
        dates: tl.studies.map((st: any) => st.date),
        sizes: tl.studies.map((st: any) => tl.tracks.flatMap((tr: any) => tr.observations.filter((o: any) => o.studyKey === st.studyKey).map((o: any) => [r1(o.longAxisMm), r1(o.shortAxisMm)])).sort()),
        tracks: tl.tracks.map((tr: any) => tr.observations.map((o: any) => `${dateOf.get(o.studyKey)}:${r1(o.longAxisMm)}`).join(" > ")).sort(),
        links: tl.tracks.flatMap((tr: any) => tr.observations.slice(1).map((o: any) => o.link?.source)),
        roles: tl.tracks.map((tr: any) => `${tr.observations[0].longAxisMm.toFixed(1)}:${tr.recistRole}:${tr.nodal}`).sort(),
      };
    };
    const patients = async (cohortId: string) => ((await (await send(suite.t.app, "GET", `/v1/cohorts/${cohortId}/patients`)).json()) as any).items.map((p: any) => p.patientId).sort();
    expect(await patients(target)).toEqual(await patients(source));
    for (const p of ["P1", "P2"]) {
      const [a, b] = [await shape(source, p), await shape(target, p)];
      expect(b.dates).toEqual(a.dates);
      expect(b.sizes).toEqual(a.sizes);
      expect(b.tracks).toEqual(a.tracks);
      expect(b.roles).toEqual(a.roles);
      expect(b.links.length).toBeGreaterThan(0);
      expect(b.links.every((s: string) => s === "person")).toBe(true);
    }
  });
});
