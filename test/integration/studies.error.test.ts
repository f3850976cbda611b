import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, snapshotCohort, type TestApp } from "../helpers/test-app.ts";
import { makeCohort, makePatient, studyBody } from "../helpers/factories.ts";

describe.each(backends)("studies and patients, bad input ($name)", (backend) => {
  let t: TestApp;
  let cohortId: string;
  beforeAll(async () => {
    t = await createTestApp(backend);
    cohortId = await makeCohort(t);
    await makePatient(t, cohortId, "P1");
    await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 22, embedding: [1, 0, 0] }]));
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  /** Sends a bad write and checks: problem+json, the named field, and nothing written. */
  async function rejects(method: string, path: string, body: unknown, status: number, field?: string) {
    const before = await snapshotCohort(t.handle, cohortId);
    const res = await send(t.app, method, path, body);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as any;
    expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), code: expect.any(String) });
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/);
    if (field) expect(problem.errors.map((e: any) => e.path)).toContain(field);
    expect(await snapshotCohort(t.handle, cohortId)).toEqual(before);
    return problem;
  }
  const study = (key = "S9") => `/v1/cohorts/${cohortId}/patients/P1/studies/${key}`;

  it("names the offending field of an invalid observation", async () => {
    const body = studyBody("2024-02-01", [{ pos: [0, 0, 0], long: 20 }]);
    (body.observations[0] as any).longAxisMm = -3;
    await rejects("PUT", study(), body, 400, "observations[0].longAxisMm");
  });

  it("rejects a short axis longer than the long axis", async () => {
    const body = studyBody("2024-02-01", [{ pos: [0, 0, 0], long: 20 }]);
    (body.observations[0] as any).shortAxisMm = 25;
    await rejects("PUT", study(), body, 400, "observations[0].shortAxisMm");
  });

  it("rejects a study without any time", async () => {
    const { date: _d, ...body } = studyBody("2024-02-01", [{ pos: [0, 0, 0], long: 20 }]);
    await rejects("PUT", study(), body, 400, "date");
  });

  it("rejects an impossible date and unknown fields", async () => {
    await rejects("PUT", study(), studyBody("2024-02-30", [{ pos: [0, 0, 0], long: 20 }]), 400, "date");
    await rejects("PUT", study(), { ...studyBody("2024-02-01", []), colour: "red" }, 400);
  });

  it("answers 400, not a crash, to an embedding of another dimension", async () => {
    await rejects("PUT", study(), studyBody("2024-02-01", [{ pos: [0, 0, 0], long: 20, embedding: [1, 0] }]), 400, "observations[0].embedding");
    // Within one study too, before anything is looked up.
    await rejects("PUT", study(), studyBody("2024-02-01", [{ pos: [0, 0, 0], long: 20, embedding: [1, 0, 0] }, { pos: [9, 9, 9], long: 12 }, { pos: [5, 5, 5], long: 15, embedding: [1, 0] }]), 400, "observations[2].embedding");
  });

  it("rejects a study on another time axis than the patient's", async () => {
    await rejects("PUT", study(), { dayOffset: 30, modality: "CT", observations: [] }, 400, "dayOffset");
  });

  it("rejects an observation id already used in another study", async () => {
    await rejects("PUT", study(), studyBody("2024-02-01", [{ pos: [0, 0, 0], long: 20, id: "S1/1" }]), 400, "observations[0].id");
  });

  it("answers 404 for unknown cohort, patient and study (a PUT study creates its patient: data-manager.happy)", async () => {
    await rejects("PUT", `/v1/cohorts/nope-${cohortId}/patients/P1/studies/S1`, studyBody("2024-02-01", []), 404);
    await rejects("DELETE", study("never"), undefined, 404);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}/patients/ghost/timeline`)).status).toBe(404);
    expect((await send(t.app, "GET", `/v1/cohorts/nope-${cohortId}`)).status).toBe(404);
  });

  it("answers 413 to a body over the limit and 400 to malformed JSON", async () => {
    const huge = studyBody("2024-02-01", Array.from({ length: 400 }, (_, i) => ({ pos: [i, i, i] as [number, number, number], long: 20, embedding: Array.from({ length: 100 }, () => 0.123456789) })));
    await rejects("PUT", study(), huge, 413);
    await rejects("PUT", study(), "{not json", 400);
  });

  it("rejects an invalid patient body and an unknown protocol parameter", async () => {
    await rejects("PUT", `/v1/cohorts/${cohortId}/patients/P2`, { sex: "X" }, 400, "sex");
    const res = await send(t.app, "POST", "/v1/cohorts", { name: "bad", protocol: { prThresholdPercent: 30 } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].path).toBe("protocol.prThresholdPercent");
  });

  it("answers 409 to a duplicate cohort id", async () => {
    const res = await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "again" });
    expect(res.status).toBe(409);
  });
});
