import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { apiKeyHeader, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";
import { dropCohort, send, uniqueId } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";

const VIEWS = ["spider", "waterfall", "swimmer"] as const;

describe.each(backends)("cohort views, access control ($name)", (backend) => {
  // The real authenticator: API keys stored in the test database, checked on every request.
  let t: SecuredTestApp;
  let cohortId: string;
  const key: Record<"reader" | "other", Record<string, string>> = { reader: {}, other: {} };
  beforeAll(async () => {
    t = await createSecuredTestApp(backend);
    const admin = apiKeyHeader((await t.key(["*:admin"], "root")).token);
    cohortId = uniqueId("sec");
    const created = await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "security" }, admin);
    expect(created.status).toBe(201);
    key.reader = apiKeyHeader((await t.key([`${cohortId}:read`])).token);
    key.other = apiKeyHeader((await t.key(["some-other-cohort:admin"])).token);
    await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F" }, admin);
    await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 30 }]), admin);
    await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/S2`, studyBody("2024-03-10", [{ pos: [2, 1, 3], long: 18 }]), admin);
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  it.each(VIEWS)("%s: 401 without a key, with a WWW-Authenticate challenge", async (view) => {
    const res = await send(t.app, "GET", `/v1/cohorts/${cohortId}/${view}`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    expect(JSON.stringify(await res.json())).not.toContain("P1");
  });

  it.each(VIEWS)("%s: a key of another cohort gets 404, as if the cohort did not exist", async (view) => {
    const res = await send(t.app, "GET", `/v1/cohorts/${cohortId}/${view}`, undefined, key.other);
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain("P1");
  });

  it.each(VIEWS)("%s: a read-only key of the cohort may read it", async (view) => {
    const res = await send(t.app, "GET", `/v1/cohorts/${cohortId}/${view}`, undefined, key.reader);
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).patients.map((p: any) => p.patientId)).toEqual(["P1"]);
  });
});
