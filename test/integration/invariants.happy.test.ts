// Invariants of the write services that deliberate breaks showed unguarded: a delete that does
// not move the revision (stale ETags served as current), a protocol change that re-derives only
// the first batch of patients.
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";

describe.each(backends)("write invariants ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const get = (path: string, headers: Record<string, string> = {}) => send(suite.t.app, "GET", path, undefined, headers);

  it("deleting a study moves the revision on by one, so the old ETag no longer answers 304", async () => {
    const cohortId = await suite.cohort();
    await makePatient(suite.t, cohortId, "P");
    const base = `/v1/cohorts/${cohortId}/patients/P`;
    await send(suite.t.app, "PUT", `${base}/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 22 }]));
    await send(suite.t.app, "PUT", `${base}/studies/S2`, studyBody("2024-02-10", [{ pos: [0, 0, 0], long: 26 }]));
    const before = await get(`${base}/timeline`);
    const etag = before.headers.get("etag")!;
    const revision = ((await before.json()) as any).patient.revision as number;

    const del = await send(suite.t.app, "DELETE", `${base}/studies/S2`);
    expect(del.status).toBe(200);
    expect(((await del.json()) as any).revision).toBe(revision + 1);
    const after = await get(`${base}/timeline`, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    const body = (await after.json()) as any;
    expect(body.patient.revision).toBe(revision + 1);
    expect(body.studies.map((s: any) => s.studyKey)).toEqual(["S1"]);
  });

  it("a protocol change re-derives every patient of a cohort larger than one re-derivation batch", async () => {
    const cohortId = await suite.cohort();
    const ids = Array.from({ length: 205 }, (_, i) => `P${String(i).padStart(3, "0")}`);
    const bl = studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 30 }]);
    const ingested = await send(suite.t.app, "POST", `/v1/cohorts/${cohortId}/ingest`, { patients: ids.map((patientId) => ({ patientId, studies: [{ studyKey: "BL", study: bl }] })) });
    expect(ingested.status).toBe(200);
    const changed = await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/protocol`, { protocol: { prThresholdPct: 25 } });
    expect(await changed.json()).toMatchObject({ protocolVersion: 2, changed: true, patientsRederived: ids.length });
    const versions = new Set<number>();
    for (const id of ids) versions.add(((await (await get(`/v1/cohorts/${cohortId}/patients/${id}/timeline`)).json()) as any).recist.protocolVersion);
    expect([...versions]).toEqual([2]);
  });
});
