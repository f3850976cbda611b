import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send, snapshotCohort } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";

describe.each(backends)("POST /v1/cohorts/{cohortId}/ingest with bad input ($name)", (backend) => {
  const suite = useAppWithCohort(backend);
  const post = (body: unknown, cohortId = suite.cohortId) => send(suite.t.app, "POST", `/v1/cohorts/${cohortId}/ingest`, body);
  const good = (patientId: string, long = 20) => ({ patientId, studies: [{ studyKey: "S1", study: studyBody("2024-01-01", [{ pos: [0, 0, 0], long }]) }] });

  /** The request fails with problem+json naming `path`, and the cohort is exactly as before. */
  async function refused(body: unknown, status: number, path?: string) {
    const before = await snapshotCohort(suite.t.handle, suite.cohortId);
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await res.json()) as any;
    if (path) expect(problem.errors.map((e: any) => e.path)).toContain(path);
    expect(await snapshotCohort(suite.t.handle, suite.cohortId)).toEqual(before);
    return problem;
  }

  it("names the field of the broken study and writes none of the batch's other patients", async () => {
    const broken = { patientId: "X2", studies: [{ studyKey: "S1", study: { ...studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 20 }]), observations: [{ positionMm: [0, 0, 0], longAxisMm: 10, shortAxisMm: 12 }] } }] };
    await refused({ patients: [good("X1"), broken] }, 400, "patients[1].studies[0].study.observations[0].shortAxisMm");
  });

  it("checks each study against the patient's stored ones inside the transaction (embedding dimension), rolling back the whole batch", async () => {
    expect((await post({ patients: [{ patientId: "E1", studies: [{ studyKey: "S1", study: studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 20, embedding: [1, 2, 3] }]) }] }] })).status).toBe(200);
    const later = { patientId: "E1", studies: [{ studyKey: "S2", study: studyBody("2024-03-01", [{ pos: [0, 0, 0], long: 22, embedding: [1, 2] }]) }] };
    await refused({ patients: [good("E0"), later] }, 400, "patients[1].studies[0].study.observations[0].embedding");
  });

  it("refuses a patient twice, a study key twice, an empty batch and unknown fields", async () => {
    await refused({ patients: [good("D1"), good("D1")] }, 400, "patients[1].patientId");
    const twice = { patientId: "D2", studies: [good("x").studies[0], good("x").studies[0]] };
    await refused({ patients: [twice] }, 400, "patients[0].studies[1].studyKey");
    await refused({ patients: [] }, 400, "patients");
    await refused({ patients: [{ ...good("D3"), extra: 1 }] }, 400);
    await refused({ patients: [good("bad id")] }, 400, "patients[0].patientId");
  });

  it("answers 404 for an unknown cohort", async () => {
    const res = await post({ patients: [good("N1")] }, "no-such-cohort");
    expect(res.status).toBe(404);
  });
});
