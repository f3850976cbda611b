import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnsecuredJWT } from "jose";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, snapshotCohort, uniqueId } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";
import { apiKeyHeader, bearer, createSecuredTestApp, fillPath, isWrite, routeTable, JWT_AUDIENCE, JWT_ISSUER, type RouteEntry, type SecuredTestApp } from "../helpers/secured-app.ts";

describe.each(backends)("credentials on every /v1 route of the OpenAPI document ($name)", (backend) => {
  let t: SecuredTestApp;
  let routes: RouteEntry[];
  let cohortA: string;
  let cohortB: string;
  const tok: Record<string, string> = {};

  const call = (r: RouteEntry, headers: Record<string, string>, cohortId = cohortA, query = "") =>
    send(t.app, r.method, fillPath(r.template, { cohortId, patientId: "P1", studyKey: "S1" }) + (query || r.requiredQuery), r.hasBody ? {} : undefined, headers);

  /** Runs one credential against every route; returns the routes whose answer broke `expectation`. */
  async function sweep(headers: Record<string, string>, expectation: (r: RouteEntry, res: Response, body: string) => boolean, cohortId = cohortA, query = "") {
    const broken: string[] = [];
    for (const r of routes) {
      const res = await call(r, headers, cohortId, query);
      const body = await res.text();
      if (!expectation(r, res, body)) broken.push(`${r.method} ${r.template} -> ${res.status} ${body.slice(0, 120)}`);
    }
    return broken;
  }

  /** Paths naming only ids this suite created; another id (e.g. {correctionId} = "1") may rightly be 404. */
  const onlyKnownIds = (r: RouteEntry) => [...r.template.matchAll(/\{([^}]+)\}/g)].every((m) => ["cohortId", "patientId", "studyKey"].includes(m[1]!));
  const isProblem = (res: Response, status: number) => res.status === status && (res.headers.get("content-type") ?? "").includes("application/problem+json");
  const unauthorized = (_r: RouteEntry, res: Response, body: string) =>
    isProblem(res, 401) && (res.headers.get("www-authenticate") ?? "").startsWith("Bearer") && JSON.parse(body).code === "unauthorized";

  beforeAll(async () => {
    t = await createSecuredTestApp(backend);
    routes = await routeTable(t.app);
    const root = await t.key(["*:admin"], "root");
    cohortA = uniqueId("sa");
    cohortB = uniqueId("sb");
    for (const id of [cohortA, cohortB]) expect((await send(t.app, "POST", "/v1/cohorts", { cohortId: id, name: id }, apiKeyHeader(root.token))).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortA}/patients/P1`, { sex: "F", birthYear: 1960 }, apiKeyHeader(root.token))).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortA}/patients/P1/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 22 }]), apiKeyHeader(root.token))).status).toBe(201);

    tok.adminA = (await t.key([`${cohortA}:admin`])).token;
    tok.readerA = (await t.key([`${cohortA}:read`])).token;
    tok.writerB = (await t.key([`${cohortB}:write`])).token;
    const revoked = await t.key([`${cohortA}:admin`]);
    tok.revoked = revoked.token;
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortA}`, undefined, apiKeyHeader(revoked.token))).status).toBe(200);
    await t.revoke(revoked.keyId);
    const a = await t.key([`${cohortA}:admin`]);
    tok.wrongSecret = `lt_${a.keyId}_${"x".repeat(43)}`;
    tok.jwtA = await t.jwt({ scope: `openid ${cohortA}:admin` });
    tok.jwtB = await t.jwt({ scope: [`${cohortB}:admin`] });
    tok.jwtExpired = await t.jwt({ scope: `${cohortA}:admin`, exp: Math.floor(Date.now() / 1000) - 60 });
    tok.jwtOtherAudience = await t.jwt({ scope: `${cohortA}:admin` }, { audience: "someone-else" });
    tok.jwtOtherIssuer = await t.jwt({ scope: `${cohortA}:admin` }, { issuer: "https://evil.invalid/" });
    tok.jwtForeign = await t.foreignJwt({ scope: `${cohortA}:admin` });
    tok.jwtUnsigned = new UnsecuredJWT({ sub: "x", scope: `${cohortA}:admin` }).setIssuer(JWT_ISSUER).setAudience(JWT_AUDIENCE).setExpirationTime("5m").encode();
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortA);
    await dropCohort(t.handle, cohortB);
    await t.close();
  });

  it("reads the route table from /openapi.json: every resource is there", () => {
    const templates = routes.map((r) => `${r.method} ${r.template}`);
    expect(templates).toEqual(expect.arrayContaining([
      "POST /v1/cohorts",
      "GET /v1/cohorts/{cohortId}",
      "PUT /v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}",
      "GET /v1/cohorts/{cohortId}/patients/{patientId}/timeline",
      "GET /v1/cohorts/{cohortId}/patients/{patientId}/audit",
    ]));
  });

  const invalidCredentials: [string, () => Record<string, string>, string?][] = [
    ["no credential", () => ({})],
    ["a malformed API key", () => apiKeyHeader("hunter2")],
    ["an unknown API key", () => apiKeyHeader(`lt_000000000000_${"A".repeat(43)}`)],
    ["a known key id with a wrong secret", () => apiKeyHeader(tok.wrongSecret!)],
    ["a revoked API key", () => apiKeyHeader(tok.revoked!)],
    ["a revoked API key as bearer token", () => bearer(tok.revoked!)],
    ["Basic authentication", () => ({ authorization: `Basic ${Buffer.from(`admin:${tok.adminA}`).toString("base64")}` })],
    ["an empty bearer", () => ({ authorization: "Bearer " })],
    ["an expired JWT", () => bearer(tok.jwtExpired!)],
    ["a JWT for another audience", () => bearer(tok.jwtOtherAudience!)],
    ["a JWT from another issuer", () => bearer(tok.jwtOtherIssuer!)],
    ["a JWT signed by an untrusted key", () => bearer(tok.jwtForeign!)],
    ["an unsigned JWT (alg none)", () => bearer(tok.jwtUnsigned!)],
    ["a valid key in the query string instead of a header", () => ({}), "api_key"],
  ];

  it.each(invalidCredentials)("answers 401 problem+json to %s, writing nothing", async (_name, headers, queryKey) => {
    const before = await snapshotCohort(t.handle, cohortA);
    const query = queryKey ? `?${queryKey}=${encodeURIComponent(tok.adminA!)}` : "";
    expect(await sweep(headers(), unauthorized, cohortA, query)).toEqual([]);
    expect(await snapshotCohort(t.handle, cohortA)).toEqual(before);
  });

  const outOfScope = (r: RouteEntry, res: Response, body: string) => {
    if (r.cohortScoped) return isProblem(res, 404) && JSON.parse(body).code === "not_found";
    // Key management is open to an admin of another cohort (for its own cohort's keys): the
    // sweep's placeholder body or id is then invalid (400); a non-admin is refused (403).
    if (r.template.startsWith("/v1/keys") && r.method !== "GET") return (isProblem(res, 400) || isProblem(res, 403)) && !body.includes(cohortA);
    if (r.method === "GET") return res.status === 200 && !body.includes(cohortA);
    return isProblem(res, 403) || isProblem(res, 404);
  };

  it.each([
    ["an API key scoped to another cohort", () => apiKeyHeader(tok.writerB!)],
    ["a JWT scoped to another cohort", () => bearer(tok.jwtB!)],
  ])("answers 404 (not 403) to %s on every route of cohort A, writing nothing", async (_name, headers) => {
    const before = await snapshotCohort(t.handle, cohortA);
    expect(await sweep(headers(), outOfScope)).toEqual([]);
    expect(await snapshotCohort(t.handle, cohortA)).toEqual(before);
  });

  it("answers an out-of-scope cohort exactly like a cohort that does not exist", async () => {
    const ghost = uniqueId("ghost");
    for (const r of routes.filter((x) => x.cohortScoped)) {
      const real = await call(r, apiKeyHeader(tok.writerB!), cohortA);
      const none = await call(r, apiKeyHeader(tok.writerB!), ghost);
      const strip = (b: any) => ({ ...b, detail: b.detail.replace(cohortA, "X").replace(ghost, "X"), instance: "", requestId: "" });
      expect([real.status, strip(await real.json())]).toEqual([none.status, strip(await none.json())]);
    }
  });

  it("lets a read-only key read but answers 403 on every write route, writing nothing", async () => {
    const before = await snapshotCohort(t.handle, cohortA);
    const broken = await sweep(apiKeyHeader(tok.readerA!), (r, res) => {
      if (!r.cohortScoped) return r.method === "GET" ? res.status === 200 : isProblem(res, 403);
      if (isWrite(r)) return isProblem(res, 403);
      if (r.template.endsWith("/audit")) return isProblem(res, 403);
      return onlyKnownIds(r) ? res.status === 200 : res.status !== 401 && res.status !== 403;
    });
    expect(broken).toEqual([]);
    expect(await snapshotCohort(t.handle, cohortA)).toEqual(before);
  });

  it.each([
    ["an admin API key in X-API-Key", () => apiKeyHeader(tok.adminA!)],
    ["an admin API key as bearer token", () => bearer(tok.adminA!)],
    ["a JWT whose scope claim names the cohort", () => bearer(tok.jwtA!)],
  ])("lets %s read every GET route of its cohort", async (_name, headers) => {
    const broken: string[] = [];
    for (const r of routes.filter((x) => x.method === "GET" && x.cohortScoped)) {
      const res = await call(r, headers());
      const ok = onlyKnownIds(r) ? res.status === 200 : res.status !== 401 && res.status !== 403;
      if (!ok) broken.push(`${r.template} -> ${res.status} ${(await res.text()).slice(0, 120)}`);
    }
    expect(broken).toEqual([]);
  });

  it("records the credential as the actor of a write", async () => {
    const key = await t.key([`${cohortA}:write`], "writer");
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortA}/patients/P7`, { sex: "M" }, apiKeyHeader(key.token))).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortA}/patients/P8`, { sex: "M" }, bearer(await t.jwt({ sub: "dr-who", scope: `${cohortA}:write` })))).status).toBe(201);
    const audit = async (p: string) => ((await (await send(t.app, "GET", `/v1/cohorts/${cohortA}/patients/${p}/audit`, undefined, apiKeyHeader(tok.adminA!))).json()) as any).items;
    expect((await audit("P7"))[0]).toMatchObject({ actor: `key:${key.keyId}`, action: "patient.create" });
    expect((await audit("P8"))[0]).toMatchObject({ actor: "jwt:dr-who", action: "patient.create" });
  });

  it("needs a key for all cohorts to create a cohort", async () => {
    const id = uniqueId("sx");
    const res = await send(t.app, "POST", "/v1/cohorts", { cohortId: id, name: "x" }, apiKeyHeader(tok.adminA!));
    expect(isProblem(res, 403)).toBe(true);
    expect((await send(t.app, "GET", `/v1/cohorts/${id}`, undefined, bearer(await t.jwt({ scope: "*:admin" })))).status).toBe(404);
  });
});
