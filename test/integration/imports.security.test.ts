import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { apiKeyHeader, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";
import { dropCohort, send, snapshotCohort, uniqueId } from "../helpers/test-app.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/io/dl-info-small.csv", import.meta.url));

describe.each(backends)("imports, access control ($name)", (backend) => {
  // The real authenticator: API keys stored in the test database, checked on every request.
  let t: SecuredTestApp;
  const token: Record<"reader" | "other" | "writer", string> = { reader: "", other: "", writer: "" };
  const cohortId = uniqueId("c");
  beforeAll(async () => {
    t = await createSecuredTestApp(backend);
    const root = await t.key(["*:admin"], "root");
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "imports security" }, apiKeyHeader(root.token))).status).toBe(201);
    token.reader = (await t.key([`${cohortId}:read`])).token;
    token.other = (await t.key(["another:admin"])).token;
    token.writer = (await t.key([`${cohortId}:write`])).token;
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });
  const upload = (key?: string) =>
    t.app.request(`/v1/cohorts/${cohortId}/imports/deeplesion`, { method: "POST", headers: { "content-type": "text/csv", ...(key ? apiKeyHeader(key) : {}) }, body: readFileSync(FIXTURE) });

  it("no key gets 401, a read-only key 403, a key of another cohort 404, and nothing is written", async () => {
    const before = await snapshotCohort(t.handle, cohortId);
    expect((await upload()).status).toBe(401);
    expect((await upload("lt_not-a-key")).status).toBe(401);
    expect((await upload(token.reader)).status).toBe(403);
    expect((await upload(token.other)).status).toBe(404);
    expect(await snapshotCohort(t.handle, cohortId)).toEqual(before);
    expect((await upload(token.writer)).status).toBe(200);
    expect((await snapshotCohort(t.handle, cohortId)).patients).toBe(3);
  });
});
