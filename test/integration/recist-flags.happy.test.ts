// Reader's flags through the service: not evaluated vs disappeared, the cohort's missingTargetMeans, equivocal carry, stale flags.
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { makeCohort, makePatient, studyBody } from "../helpers/factories.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";

describe.each(backends)("RECIST flags through the API ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const get = async (path: string) => (await (await send(suite.t.app, "GET", path)).json()) as any;

  /** Liver 40 mm + lung 20 mm at baseline; W08 is a chest-only scan: lung 14 mm, the liver not covered. */
  async function chestOnly(cohortId: string) {
    const base = `/v1/cohorts/${cohortId}/patients/P1`;
    await makePatient(suite.t, cohortId, "P1");
    await send(suite.t.app, "PUT", `${base}/studies/BL`, studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 40, id: "bl-liver" }, { pos: [200, 0, 0], long: 20, organ: "lung", id: "bl-lung" }]));
    await send(suite.t.app, "PUT", `${base}/studies/W08`, studyBody("2024-02-26", [{ pos: [200, 0, 0], long: 14, organ: "lung", id: "w8-lung" }]));
    return { base, liver: "trk_bl-liver", lung: "trk_bl-lung" };
  }

  it("a target not seen is not evaluated by default: NE, shown per track; the reader's disappeared flag makes it 0 mm", async () => {
    const { base, liver, lung } = await chestOnly(await suite.cohort());
    const tl = await get(`${base}/timeline`);
    expect(tl.studies[1].recist).toMatchObject({ sum: null, partialSum: 14, targetResponse: "NE", overallResponse: "NE" });
    expect(tl.tracks.find((t: any) => t.trackId === liver).recistStatus).toEqual({ W08: "not_evaluated" });
    expect(tl.tracks.find((t: any) => t.trackId === lung).recistStatus).toEqual({ W08: "measured" });
    const res = await send(suite.t.app, "PUT", `${base}/recist`, { studyFlags: { W08: { disappeared: [liver] } } });
    expect(res.status).toBe(200);
    const after = await get(`${base}/timeline`);
    expect(after.studies[1].recist).toMatchObject({ sum: 14, pctChangeFromBaseline: -76.7, targetResponse: "PR" });
    expect(after.tracks.find((t: any) => t.trackId === liver).recistStatus).toEqual({ W08: "disappeared" });
  });

  it("a cohort with missingTargetMeans: \"disappeared\" reads the unseen target as gone; notEvaluated still says NE", async () => {
    const cohortId = await makeCohort(suite.t, { protocol: { missingTargetMeans: "disappeared" } });
    const { base, liver } = await chestOnly(cohortId);
    expect((await get(`${base}/timeline`)).studies[1].recist).toMatchObject({ sum: 14, targetResponse: "PR" });
    expect((await send(suite.t.app, "PUT", `${base}/recist`, { studyFlags: { W08: { notEvaluated: [liver] } } })).status).toBe(200);
    expect((await get(`${base}/timeline`)).studies[1].recist).toMatchObject({ sum: null, targetResponse: "NE" });
    const bad = await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/protocol`, { protocol: { missingTargetMeans: "gone" } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].path).toBe("protocol.missingTargetMeans");
  });

  it("an equivocal new lesion that resolves never gives PD (it stays equivocal while absent)", async () => {
    const cohortId = await suite.cohort();
    const base = `/v1/cohorts/${cohortId}/patients/E1`;
    await makePatient(suite.t, cohortId, "E1");
    await send(suite.t.app, "PUT", `${base}/studies/BL`, studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 40, id: "bl-liver" }]));
    await send(suite.t.app, "PUT", `${base}/studies/W08`, studyBody("2024-02-26", [{ pos: [0, 0, 0], long: 26 }, { pos: [0, 250, 0], long: 6, organ: "lung", id: "w8-new" }]));
    await send(suite.t.app, "PUT", `${base}/studies/W16`, studyBody("2024-04-22", [{ pos: [0, 0, 0], long: 24 }]));
    const flags = { designations: [{ trackId: "trk_bl-liver", role: "target" }], studyFlags: { W08: { equivocalNew: ["trk_w8-new"] } } };
    expect((await send(suite.t.app, "PUT", `${base}/recist`, flags)).status).toBe(200);
    const tl = await get(`${base}/timeline`);
    expect(tl.recist.result.timepoints.map((t: any) => t.overallResponse)).toEqual(["PR", "PR"]);
    expect(tl.recist.result.progressionDate).toBeNull();
    expect(tl.recist.result.bestOverallResponse).toEqual({ unconfirmed: "PR", confirmed: "PR" });
    expect(tl.tracks.find((t: any) => t.trackId === "trk_w8-new").recistStatus).toEqual({ W08: "equivocal", W16: "absent" });
  });

  it("a flag made stale by a later study is shown as an input warning and the measurement is used", async () => {
    const { base, liver } = await chestOnly(await suite.cohort());
    expect((await send(suite.t.app, "PUT", `${base}/recist`, { studyFlags: { W08: { disappeared: [liver] } } })).status).toBe(200);
    // The liver turns out to be on the scan after all: the study is sent again with it.
    await send(suite.t.app, "PUT", `${base}/studies/W08`, studyBody("2024-02-26", [{ pos: [0, 0, 0], long: 30 }, { pos: [200, 0, 0], long: 14, organ: "lung", id: "w8-lung" }]));
    const tl = await get(`${base}/timeline`);
    expect(tl.recist.inputWarnings).toEqual([expect.objectContaining({ studyKey: "W08", trackId: liver, flag: "disappeared" })]);
    expect(tl.studies[1].recist).toMatchObject({ sum: 44, targetResponse: "SD" });
  });

  it("the OpenAPI document describes every flag, the missingTargetMeans setting and a not-evaluated example", async () => {
    const doc = await get("/openapi.json");
    const flags = doc.components.schemas.RecistInputs.properties.studyFlags.additionalProperties.properties;
    for (const f of ["notEvaluated", "disappeared", "tooSmallToMeasure", "nonTargetStatus", "equivocalNew", "increasedSinceLast", "symptomDriven", "tumorMarkersAboveNormal"]) {
      expect(flags[f]?.description, f).toMatch(/\w{4}/);
    }
    const put = doc.paths["/v1/cohorts/{cohortId}/patients/{patientId}/recist"].put;
    expect(put.description).toContain("missingTargetMeans");
    expect(put.requestBody.content["application/json"].example.studyFlags.S03.notEvaluated).toHaveLength(1);
    expect(doc.components.schemas.ProtocolInput.properties.protocol.description).toContain("missingTargetMeans");
  });
});
