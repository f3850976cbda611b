import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, snapshotCohort, uniqueId } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";
import { apiKeyHeader, createSecuredTestApp, fillPath, writeRoutes, type SecuredTestApp, type WriteRoute } from "../helpers/secured-app.ts";

const LIMIT = 64 * 1024;

describe.each(backends)("oversized and malformed bodies on every write route ($name)", (backend) => {
  let t: SecuredTestApp;
  let routes: WriteRoute[];
  let cohortId: string;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await createSecuredTestApp(backend, { overrides: { config: { bodyLimitBytes: LIMIT, corsOrigins: [] } } });
    routes = await writeRoutes(t.app);
    admin = apiKeyHeader((await t.key(["*:admin"])).token);
    cohortId = uniqueId("bd");
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "bodies" }, admin)).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F" }, admin)).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 20 }]), admin)).status).toBe(201);
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  const pathOf = (r: WriteRoute) => fillPath(r.template, { cohortId, patientId: "P1", studyKey: "S2" });
  const raw = (r: WriteRoute, body: BodyInit, contentType = r.contentType, extra: RequestInit = {}) =>
    t.app.request(pathOf(r), { method: r.method, headers: { ...admin, "content-type": contentType }, body, ...extra });

  /** Sends each route a bad body; expects one status as problem+json, no stack trace, nothing written. */
  async function everyRoute(expected: number, make: (r: WriteRoute) => Response | Promise<Response>, only: (r: WriteRoute) => boolean = () => true) {
    const broken: string[] = [];
    for (const r of routes.filter(only)) {
      const before = await snapshotCohort(t.handle, cohortId);
      const res = await make(r);
      const text = await res.text();
      const ok = res.status === expected && (res.headers.get("content-type") ?? "").includes("application/problem+json") && !/at .*\.ts:\d+/.test(text);
      if (!ok) broken.push(`${r.method} ${r.template} -> ${res.status} ${text.slice(0, 160)}`);
      const after = await snapshotCohort(t.handle, cohortId);
      if (JSON.stringify(after) !== JSON.stringify(before)) broken.push(`${r.method} ${r.template} wrote: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
    }
    expect(broken).toEqual([]);
  }

  const json = (r: WriteRoute) => r.contentType.includes("json");
  it("answers 413 to a JSON body over BODY_LIMIT_BYTES (with Content-Length)", async () => {
    await everyRoute(413, (r) => raw(r, JSON.stringify({ pad: "x".repeat(LIMIT) })), json);
  });

  it("answers 413 on every write route, uploads included, to a declared Content-Length of 1 TB", async () => {
    await everyRoute(413, (r) => raw(r, "{}", r.contentType, { headers: { ...admin, "content-type": r.contentType, "content-length": String(2 ** 40) } }));
  });

  it("answers 413 to a streamed JSON body over the limit (no Content-Length)", async () => {
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(`${"x".repeat(LIMIT / 8)}`));
          controller.close();
        },
      });
    await everyRoute(413, (r) => raw(r, stream(), r.contentType, { duplex: "half" } as RequestInit), json);
  });

  it.each([
    ["truncated JSON", "{\"observations\": ["],
    ["not JSON at all", "{not json"],
    ["an empty body", ""],
    ["a JSON array instead of an object", "[]"],
    ["JSON null", "null"],
    ["a bare string", "\"S1\""],
    ["a number too large for a double", "{\"name\": 1e999, \"date\": 1e999}"],
    ["deep nesting", `${"[".repeat(3000)}${"]".repeat(3000)}`],
    ["a prototype-pollution attempt", "{\"__proto__\": {\"admin\": true}, \"constructor\": {\"prototype\": {\"admin\": true}}}"],
  ])("answers 400 to %s", async (_name, body) => {
    await everyRoute(400, (r) => raw(r, body), json);
    expect(({} as any).admin).toBeUndefined();
  });

  it("answers 415 to a JSON route sent another content type", async () => {
    await everyRoute(415, (r) => raw(r, JSON.stringify(r.example), "text/plain"), json);
  });
});
