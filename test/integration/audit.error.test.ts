import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, uniqueId } from "../helpers/test-app.ts";
import { apiKeyHeader, bearer, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";

describe.each(backends)("audit route refusals ($name)", (backend) => {
  let t: SecuredTestApp;
  let cohortId: string;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await createSecuredTestApp(backend);
    cohortId = uniqueId("ae");
    admin = apiKeyHeader((await t.key(["*:admin"])).token);
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "audit errors" }, admin)).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F" }, admin)).status).toBe(201);
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });
  const url = (q = "", p = "P1") => `/v1/cohorts/${cohortId}/patients/${p}/audit${q}`;

  it("is for admins of the cohort only: read and write credentials get 403", async () => {
    for (const role of ["read", "write"]) {
      const res = await send(t.app, "GET", url(), undefined, apiKeyHeader((await t.key([`${cohortId}:${role}`])).token));
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: "forbidden" });
    }
    expect((await send(t.app, "GET", url(), undefined, bearer(await t.jwt({ scope: `${cohortId}:write` })))).status).toBe(403);
    expect((await send(t.app, "GET", url(), undefined, bearer(await t.jwt({ scope: `${cohortId}:admin` })))).status).toBe(200);
  });

  it.each([
    ["?cursor=abc", "cursor"],
    ["?cursor=-1", "cursor"],
    ["?cursor=0", "cursor"],
    ["?limit=0", "query.limit"],
    ["?limit=501", "query.limit"],
  ])("answers 400 naming the field to %s", async (q, field) => {
    const res = await send(t.app, "GET", url(q), undefined, admin);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors.map((e: any) => e.path)).toContain(field);
  });

  it("answers 404 for an unknown patient", async () => {
    expect((await send(t.app, "GET", url("", "ghost"), undefined, admin)).status).toBe(404);
  });
});
