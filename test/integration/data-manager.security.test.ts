import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, snapshotCohort, uniqueId } from "../helpers/test-app.ts";
import { apiKeyHeader, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";

describe.each(backends)("data-manager operations, access ($name)", (backend) => {
  let t: SecuredTestApp;
  let cohortId: string;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createSecuredTestApp(backend);
    cohortId = uniqueId("dms");
    admin = apiKeyHeader((await t.key(["*:admin"])).token);
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "dm security" }, admin)).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/S1`, { date: "2024-01-10", observations: [{ positionMm: [1, 2, 3], longAxisMm: 20, shortAxisMm: 10 }] }, admin)).status).toBe(201);
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  it("deleting a patient or cohort and PATCH need admin: read and write get 403, another cohort's key 404, nothing changes", async () => {
    const before = await snapshotCohort(t.handle, cohortId);
    const writes = [["DELETE", `/v1/cohorts/${cohortId}/patients/P1`], ["DELETE", `/v1/cohorts/${cohortId}`], ["PATCH", `/v1/cohorts/${cohortId}`]] as const;
    for (const [method, path] of writes) {
      for (const role of ["read", "write"]) {
        const res = await send(t.app, method, path, method === "PATCH" ? { name: "x" } : undefined, apiKeyHeader((await t.key([`${cohortId}:${role}`])).token));
        expect(res.status, `${method} ${path} ${role}`).toBe(403);
      }
      expect((await send(t.app, method, path, method === "PATCH" ? { name: "x" } : undefined, apiKeyHeader((await t.key(["other:admin"])).token))).status).toBe(404);
      expect((await send(t.app, method, path, method === "PATCH" ? { name: "x" } : undefined)).status).toBe(401);
    }
    expect(await snapshotCohort(t.handle, cohortId)).toEqual(before);
  });

  it("GET patient, GET study and the exports need read scope only", async () => {
    const reader = apiKeyHeader((await t.key([`${cohortId}:read`])).token);
    for (const path of ["/patients/P1", "/patients/P1/studies/S1", "/export/csv", "/export/sdtm?domain=rs"]) {
      expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}${path}`, undefined, reader)).status, path).toBe(200);
      expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}${path}`, undefined, apiKeyHeader((await t.key(["other:read"])).token))).status).toBe(404);
    }
  });
});
