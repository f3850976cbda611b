import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, snapshotCohort, uniqueId, type TestApp } from "../helpers/test-app.ts";
import type { Principal } from "../../src/api/env.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/io/dl-info-small.csv", import.meta.url));

describe.each(backends)("imports, access control ($name)", (backend) => {
  let t: TestApp;
  let principal: Principal;
  const cohortId = uniqueId("c");
  beforeAll(async () => {
    t = await createTestApp(backend, { authenticate: async () => principal });
    principal = { id: "admin", kind: "api-key", scopes: [{ cohortId: "*", role: "admin" }] };
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "imports security" })).status).toBe(201);
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });
  const upload = () => t.app.request(`/v1/cohorts/${cohortId}/imports/deeplesion`, { method: "POST", headers: { "content-type": "text/csv" }, body: readFileSync(FIXTURE) });

  it("a read-only credential gets 403, a credential of another cohort 404, and nothing is written", async () => {
    const before = await snapshotCohort(t.handle, cohortId);
    principal = { id: "reader", kind: "api-key", scopes: [{ cohortId, role: "read" }] };
    expect((await upload()).status).toBe(403);
    principal = { id: "other", kind: "api-key", scopes: [{ cohortId: "another", role: "admin" }] };
    expect((await upload()).status).toBe(404);
    expect(await snapshotCohort(t.handle, cohortId)).toEqual(before);
    principal = { id: "writer", kind: "api-key", scopes: [{ cohortId, role: "write" }] };
    expect((await upload()).status).toBe(200);
    expect((await snapshotCohort(t.handle, cohortId)).patients).toBe(3);
  });
});
