import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, uniqueId, type TestApp } from "../helpers/test-app.ts";
import { apiKeyHeader, bearer, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";

describe.each(backends)("rate limit per credential ($name)", (backend) => {
  let t: SecuredTestApp;
  let cohortId: string;
  let a: string;
  let b: string;
  beforeAll(async () => {
    t = await createSecuredTestApp(backend, { rateLimit: { limit: 5, windowMs: 60_000 } });
    const root = await t.key(["*:admin"]);
    cohortId = uniqueId("rl");
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "rl" }, apiKeyHeader(root.token))).status).toBe(201);
    a = (await t.key([`${cohortId}:read`])).token;
    b = (await t.key([`${cohortId}:read`])).token;
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  it("answers 429 problem+json with Retry-After past the limit, and only for that credential", async () => {
    const get = (token: string) => send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, apiKeyHeader(token));
    for (let i = 0; i < 5; i++) expect((await get(a)).status).toBe(200);
    const limited = await get(a);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    const retry = Number(limited.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await limited.json()).toMatchObject({ status: 429, code: "rate_limited" });
    // the same key sent as a bearer token is the same credential
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(a))).status).toBe(429);
    expect((await get(b)).status).toBe(200);
  });

  it("counts JWT subjects separately from keys", async () => {
    const jwt = await t.jwt({ sub: "rl-user", scope: `${cohortId}:read` });
    for (let i = 0; i < 5; i++) expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(jwt))).status).toBe(200);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(jwt))).status).toBe(429);
  });
});

describe.each(backends)("CORS ($name)", (backend) => {
  let closed: TestApp;
  let open: TestApp;
  beforeAll(async () => {
    closed = await createTestApp(backend);
    open = await createTestApp(backend, { config: { bodyLimitBytes: 256 * 1024, corsOrigins: ["https://dash.example.org"] } });
  });
  afterAll(async () => {
    await closed.close();
    await open.close();
  });
  const preflight = (app: TestApp["app"], origin: string) =>
    app.request("/v1/cohorts", { method: "OPTIONS", headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "x-api-key" } });

  it("is closed by default: no Access-Control-Allow-Origin for any origin", async () => {
    const pre = await preflight(closed.app, "https://dash.example.org");
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await closed.app.request("/v1/cohorts", { headers: { origin: "https://dash.example.org" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows exactly the configured origins", async () => {
    const ok = await preflight(open.app, "https://dash.example.org");
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://dash.example.org");
    expect((ok.headers.get("access-control-allow-headers") ?? "").toLowerCase()).toContain("x-api-key");
    const res = await open.app.request("/v1/cohorts", { headers: { origin: "https://dash.example.org" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://dash.example.org");
    expect(res.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("etag");
    for (const origin of ["https://evil.example.org", "https://dash.example.org.evil.net", "null"]) {
      expect((await preflight(open.app, origin)).headers.get("access-control-allow-origin")).toBeNull();
      expect((await open.app.request("/v1/cohorts", { headers: { origin } })).headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});
