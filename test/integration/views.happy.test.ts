import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, type TestApp } from "../helpers/test-app.ts";
import { makeCohort, makePatient, studyBody } from "../helpers/factories.ts";

type Vec = [number, number, number];
const LIVER: Vec = [100, 50, 200];
const LUNG: Vec = [-80, 10, 260];
const KIDNEY: Vec = [-60, 60, 20];
const shifted = (v: Vec, k: number): Vec => [v[0] + 3 * k, v[1] - 2 * k, v[2] + 5 * k];

describe.each(backends)("cohort views, happy paths ($name)", (backend) => {
  let t: TestApp;
  let cohortId: string;
  let emptyCohortId: string;
  const get = async (path: string) => {
    const res = await send(t.app, "GET", path);
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  };

  beforeAll(async () => {
    t = await createTestApp(backend);
    cohortId = await makeCohort(t);
    emptyCohortId = await makeCohort(t);
    const put = async (p: string, key: string, body: unknown) => {
      const res = await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/studies/${key}`, body);
      expect(res.status).toBe(201);
    };
    // Responder: sums 50 -> 30 (-40 %) -> 25 (-50 %).
    await makePatient(t, cohortId, "responder");
    await put("responder", "S1", studyBody("2024-01-10", [{ pos: LIVER, long: 30 }, { pos: LUNG, long: 20, organ: "lung" }]));
    await put("responder", "S2", studyBody("2024-03-10", [{ pos: shifted(LIVER, 1), long: 18 }, { pos: shifted(LUNG, 1), long: 12, organ: "lung" }]));
    await put("responder", "S3", studyBody("2024-05-10", [{ pos: shifted(LIVER, 2), long: 15 }, { pos: shifted(LUNG, 2), long: 10, organ: "lung" }]));
    // Progressor: sums 40 -> 42 (+5 %) -> 52 (+30 %) with a new kidney lesion at the third scan.
    await makePatient(t, cohortId, "progressor");
    await put("progressor", "S1", studyBody("2024-01-10", [{ pos: LIVER, long: 20 }, { pos: LUNG, long: 20, organ: "lung" }]));
    await put("progressor", "S2", studyBody("2024-03-01", [{ pos: shifted(LIVER, 1), long: 22 }, { pos: shifted(LUNG, 1), long: 20, organ: "lung" }]));
    await put("progressor", "S3", studyBody("2024-04-20", [{ pos: shifted(LIVER, 2), long: 30 }, { pos: shifted(LUNG, 2), long: 22, organ: "lung" }, { pos: shifted(KIDNEY, 2), long: 15, organ: "kidney" }]));
    // A single baseline scan: on the swimmer and spider, not evaluable on the waterfall.
    await makePatient(t, cohortId, "single");
    await put("single", "S1", studyBody("2024-02-01", [{ pos: LIVER, long: 25 }]));
    // A patient without any study appears in no view.
    await makePatient(t, cohortId, "no-studies");
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await dropCohort(t.handle, emptyCohortId);
    await t.close();
  });

  it("spider: percent change from baseline per patient over time, with the reference lines", async () => {
    const v = await get(`/v1/cohorts/${cohortId}/spider`);
    expect(v.cohortId).toBe(cohortId);
    expect(v.referenceLines).toEqual({ partialResponsePct: -30, progressionPct: 20 });
    expect(v.patients.map((p: any) => p.patientId)).toEqual(["progressor", "responder", "single"]);
    const responder = v.patients.find((p: any) => p.patientId === "responder");
    expect(responder.points.map((p: any) => [p.timeDays, p.date, p.pctChangeFromBaseline, p.response])).toEqual([
      [0, "2024-01-10", 0, null],
      [60, "2024-03-10", -40, "PR"],
      [121, "2024-05-10", -50, "PR"],
    ]);
    expect(responder).toMatchObject({ timeAxis: "date", sumBasis: "recistTargets", response: "PR" });
    const progressor = v.patients.find((p: any) => p.patientId === "progressor");
    expect(progressor.points.map((p: any) => p.pctChangeFromBaseline)).toEqual([0, 5, 30]);
    expect(progressor.points.at(-1).response).toBe("PD");
    expect(v.patients.find((p: any) => p.patientId === "single").points).toHaveLength(1);
  });

  it("waterfall: best percent change per patient, largest growth first, with the best overall response", async () => {
    const v = await get(`/v1/cohorts/${cohortId}/waterfall`);
    expect(v.referenceLines).toEqual({ partialResponsePct: -30, progressionPct: 20 });
    expect(v.responseBasis).toBe("unconfirmed");
    expect(v.patients).toEqual([
      { patientId: "progressor", bestPctChange: 5, bestOverallResponse: { unconfirmed: "SD", confirmed: "SD" }, response: "SD", progressed: true },
      { patientId: "responder", bestPctChange: -50, bestOverallResponse: { unconfirmed: "PR", confirmed: "PR" }, response: "PR", progressed: false },
    ]);
    expect(v.notEvaluable).toEqual(["single"]);
  });

  it("swimmer: time on study, response per scan, progression and new-lesion markers, longest first", async () => {
    const v = await get(`/v1/cohorts/${cohortId}/swimmer`);
    expect(v.patients.map((p: any) => [p.patientId, p.timeOnStudyDays, p.studyCount])).toEqual([
      ["responder", 121, 3],
      ["progressor", 101, 3],
      ["single", 0, 1],
    ]);
    const progressor = v.patients.find((p: any) => p.patientId === "progressor");
    expect(progressor.progressionTimeDays).toBe(101);
    expect(progressor.studies.map((s: any) => [s.timeDays, s.response, s.newLesion])).toEqual([
      [0, null, false],
      [51, "SD", false],
      [101, "PD", true],
    ]);
    expect(v.patients.find((p: any) => p.patientId === "responder").progressionTimeDays).toBeNull();
  });

  it("reads the stored summaries (a changed summary shows; no timeline is recomputed)", async () => {
    const before = await t.handle.db.execute(sql`select computed_at from patient_timelines where cohort_id = ${cohortId} and patient_id = 'responder'`);
    await t.handle.db.execute(sql`update patient_timelines set summary = jsonb_set(summary, '{bestPctChange}', '-77.7') where cohort_id = ${cohortId} and patient_id = 'responder'`);
    const v = await get(`/v1/cohorts/${cohortId}/waterfall`);
    expect(v.patients.find((p: any) => p.patientId === "responder").bestPctChange).toBe(-77.7);
    const after = await t.handle.db.execute(sql`select computed_at from patient_timelines where cohort_id = ${cohortId} and patient_id = 'responder'`);
    expect(JSON.stringify(after)).toBe(JSON.stringify(before));
    await t.handle.db.execute(sql`update patient_timelines set summary = jsonb_set(summary, '{bestPctChange}', '-50') where cohort_id = ${cohortId} and patient_id = 'responder'`);
  });

  it("an empty cohort has empty views, and the protocol's thresholds set the reference lines", async () => {
    expect((await get(`/v1/cohorts/${emptyCohortId}/spider`)).patients).toEqual([]);
    expect(await get(`/v1/cohorts/${emptyCohortId}/waterfall`)).toMatchObject({ patients: [], notEvaluable: [] });
    expect((await get(`/v1/cohorts/${emptyCohortId}/swimmer`)).patients).toEqual([]);
    const custom = await makeCohort(t, { protocol: { prThresholdPct: 25, pdThresholdPct: 30, requireConfirmation: true } });
    try {
      // One partial response without a confirming scan: unconfirmed PR, confirmed SD.
      await makePatient(t, custom, "unconfirmed");
      await send(t.app, "PUT", `/v1/cohorts/${custom}/patients/unconfirmed/studies/S1`, studyBody("2024-01-10", [{ pos: LIVER, long: 30 }, { pos: LUNG, long: 20, organ: "lung" }]));
      await send(t.app, "PUT", `/v1/cohorts/${custom}/patients/unconfirmed/studies/S2`, studyBody("2024-03-10", [{ pos: shifted(LIVER, 1), long: 18 }, { pos: shifted(LUNG, 1), long: 12, organ: "lung" }]));
      const v = await get(`/v1/cohorts/${custom}/waterfall`);
      expect(v.referenceLines).toEqual({ partialResponsePct: -25, progressionPct: 30 });
      expect(v.responseBasis).toBe("confirmed");
      expect(v.patients).toEqual([{ patientId: "unconfirmed", bestPctChange: -40, bestOverallResponse: { unconfirmed: "PR", confirmed: "SD" }, response: "SD", progressed: false }]);
    } finally {
      await dropCohort(t.handle, custom);
    }
  });

  it("documents the three views in the OpenAPI document", async () => {
    const doc = await get("/openapi.json");
    for (const view of ["spider", "waterfall", "swimmer"]) expect(doc.paths[`/v1/cohorts/{cohortId}/${view}`]?.get).toBeDefined();
    expect(doc.components.schemas.WaterfallView).toBeDefined();
  });
});
