import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../src/api/env.ts";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, uniqueId, type TestApp } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";

const VIEWS = ["spider", "waterfall", "swimmer"] as const;

describe.each(backends)("cohort views, access control ($name)", (backend) => {
  let t: TestApp;
  let cohortId: string;
  const keys = new Map<string, Principal>();
  beforeAll(async () => {
    // The real app with an authenticator that knows three keys (the API-key store is another module's).
    t = await createTestApp(backend, { authenticate: async (req) => keys.get(req.headers.get("x-api-key") ?? "") ?? null });
    keys.set("admin", { id: "admin", kind: "api-key", scopes: [{ cohortId: "*", role: "admin" }] });
    const admin = { "x-api-key": "admin" };
    cohortId = uniqueId("sec");
    const created = await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "security" }, admin);
    expect(created.status).toBe(201);
    keys.set("reader", { id: "reader", kind: "api-key", scopes: [{ cohortId, role: "read" }] });
    keys.set("other", { id: "other", kind: "api-key", scopes: [{ cohortId: "some-other-cohort", role: "admin" }] });
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
    const res = await send(t.app, "GET", `/v1/cohorts/${cohortId}/${view}`, undefined, { "x-api-key": "other" });
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).not.toContain("P1");
  });

  it.each(VIEWS)("%s: a read-only key of the cohort may read it", async (view) => {
    const res = await send(t.app, "GET", `/v1/cohorts/${cohortId}/${view}`, undefined, { "x-api-key": "reader" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).patients.map((p: any) => p.patientId)).toEqual(["P1"]);
  });
});
