import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerType } from "@hono/node-server";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, uniqueId } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";
import { apiKeyHeader, bearer, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";
import { attachTimelineCache, listen } from "../../src/server.ts";
import type { TimelineFastPath } from "../../src/api/timeline-fast-path.ts";

/**
 * The Node timeline fast path must answer exactly as the app does, or not at all. Two real
 * servers share one set of deps (database, timeline cache, key cache, rate-limit counters):
 * `fast` has the fast path in front of the app, `app` sends everything through Hono. Every
 * request goes to both and the answers are compared; the fast path's counter shows which
 * requests it took.
 */
describe.each(backends)("timeline fast path answers as the app does ($name)", (backend) => {
  let t: SecuredTestApp;
  let clock = Date.now();
  let fast: { server: ServerType; port: number; fastPath: TimelineFastPath | null };
  let app: { server: ServerType; port: number };
  let cohortA: string;
  let cohortB: string;
  const tok: Record<string, string> = {};
  const TTL = 60_000;

  const path = (cohortId: string, patientId: string) => `/v1/cohorts/${cohortId}/patients/${patientId}/timeline`;
  const get = (port: number, p: string, headers: Record<string, string> = {}, method = "GET") => fetch(`http://127.0.0.1:${port}${p}`, { method, headers });
  const served = () => fast.fastPath!.served;

  /** Status, body and headers (minus Date and a generated request id); remaining counts are compared apart. */
  async function answer(res: Response) {
    const headers = Object.fromEntries([...(res.headers as unknown as Iterable<[string, string]>)].filter(([k]) => k !== "date" && k !== "keep-alive" && k !== "connection"));
    const requestId = headers["x-request-id"] ?? "";
    if (!requestId.startsWith("given-")) headers["x-request-id"] = "(generated)";
    const remaining = headers["ratelimit-remaining"];
    delete headers["ratelimit-remaining"];
    delete headers["ratelimit-reset"];
    const body = (await res.text()).replaceAll(requestId, headers["x-request-id"]!);
    return { status: res.status, headers, body, remaining: remaining === undefined ? undefined : Number(remaining) };
  }

  /** The same request to the fast server, then to the app-only one: same answer; returns whether the fast path took it. */
  async function same(p: string, headers: Record<string, string> = {}, method = "GET") {
    const before = served();
    const a = await answer(await get(fast.port, p, headers, method));
    const took = served() > before;
    const b = await answer(await get(app.port, p, headers, method));
    expect({ status: a.status, headers: a.headers, body: a.body }).toEqual({ status: b.status, headers: b.headers, body: b.body });
    // Both count against the same per-credential limit, one after the other.
    if (a.remaining !== undefined && b.remaining !== undefined && a.remaining > 0) expect(b.remaining).toBe(a.remaining - 1);
    return { took, status: a.status, etag: a.headers.etag };
  }

  beforeAll(async () => {
    t = await createSecuredTestApp(backend, { cacheTtlMs: TTL, now: () => clock, rateLimit: { limit: 1000, windowMs: 60_000 } });
    await attachTimelineCache(t.handle, t.deps);
    expect(t.deps.timelineCache?.enabled).toBe(true);
    fast = await listen(t.deps, 0, "127.0.0.1");
    app = await listen({ ...t.deps, fastPath: false }, 0, "127.0.0.1");
    expect(fast.fastPath).not.toBeNull();
    const root = await t.key(["*:admin"], "root");
    cohortA = uniqueId("fa");
    cohortB = uniqueId("fb");
    for (const id of [cohortA, cohortB]) expect((await send(t.app, "POST", "/v1/cohorts", { cohortId: id, name: id }, apiKeyHeader(root.token))).status).toBe(201);
    for (const p of ["P1", "P2"]) {
      expect((await send(t.app, "PUT", `/v1/cohorts/${cohortA}/patients/${p}`, { sex: "F", birthYear: 1960 }, apiKeyHeader(root.token))).status).toBe(201);
      expect((await send(t.app, "PUT", `/v1/cohorts/${cohortA}/patients/${p}/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 22 }]), apiKeyHeader(root.token))).status).toBe(201);
    }
    tok.root = root.token;
    tok.readerA = (await t.key([`${cohortA}:read`])).token;
    tok.writerB = (await t.key([`${cohortB}:write`])).token;
    tok.jwtA = await t.jwt({ scope: `${cohortA}:read` });
  });

  afterAll(async () => {
    fast?.server.close();
    app?.server.close();
    for (const c of [cohortA, cohortB]) if (c) await dropCohort(t.handle, c);
    await t?.close();
  });

  it("takes a cached timeline for a verified reader, with the same body, ETag, rate-limit and request-id headers", async () => {
    const p = path(cohortA, "P1");
    // First read of each: the credential is verified and the timeline cached by the app.
    const first = await same(p, apiKeyHeader(tok.readerA!));
    expect(first).toMatchObject({ took: false, status: 200 });
    expect(await same(p, apiKeyHeader(tok.readerA!))).toMatchObject({ took: true, status: 200 });
    expect(await same(p, { ...apiKeyHeader(tok.readerA!), "x-request-id": "given-abc.1" })).toMatchObject({ took: true, status: 200 });
    expect(await same(p, { ...apiKeyHeader(tok.readerA!), "x-request-id": "bad id with spaces" })).toMatchObject({ took: true, status: 200 });
    expect(await same(p, { ...apiKeyHeader(tok.readerA!), "if-none-match": first.etag! })).toMatchObject({ took: true, status: 304 });
    expect(await same(p, { ...apiKeyHeader(tok.readerA!), "if-none-match": `W/${first.etag!}` })).toMatchObject({ took: true, status: 304 });
    expect(await same(p, { ...apiKeyHeader(tok.readerA!), "if-none-match": '"r999999"' })).toMatchObject({ took: true, status: 200 });
    // A JWT, once verified, is cached the same way.
    await same(p, bearer(tok.jwtA!));
    expect(await same(p, bearer(tok.jwtA!))).toMatchObject({ took: true, status: 200 });
  });

  it("never answers a missing, wrong, out-of-scope or revoked credential: the app does (401/404)", async () => {
    const p = path(cohortA, "P1");
    await same(p, apiKeyHeader(tok.root!));
    const cases: [Record<string, string>, number][] = [
      [{}, 401],
      [apiKeyHeader("lt_000000000000_" + "x".repeat(43)), 401],
      [apiKeyHeader(tok.readerA! + "x"), 401],
      [bearer("not-a-token"), 401],
      [apiKeyHeader(tok.writerB!), 404],
    ];
    for (const [headers, status] of cases) {
      expect(await same(p, headers)).toMatchObject({ took: false, status });
      expect(await same(p, headers)).toMatchObject({ took: false, status });
    }
    const k = await t.key([`${cohortA}:read`]);
    expect(await same(p, apiKeyHeader(k.token))).toMatchObject({ took: false, status: 200 });
    expect(await same(p, apiKeyHeader(k.token))).toMatchObject({ took: true, status: 200 });
    // Revoked in this process: the key cache forgets it at once, and both paths refuse it.
    await t.revoke(k.keyId);
    t.authenticator.forget(k.keyId);
    expect(await same(p, apiKeyHeader(k.token))).toMatchObject({ took: false, status: 401 });
  });

  it("a credential not re-checked within the TTL goes back to the app, which re-reads its row", async () => {
    const p = path(cohortA, "P1");
    const k = await t.key([`${cohortA}:read`]);
    await same(p, apiKeyHeader(k.token));
    expect(await same(p, apiKeyHeader(k.token))).toMatchObject({ took: true });
    // Revoked by another process (nobody tells this one): served until the TTL ends, as by the app.
    await t.revoke(k.keyId);
    expect(await same(p, apiKeyHeader(k.token))).toMatchObject({ took: true, status: 200 });
    clock += TTL + 1;
    expect(await same(p, apiKeyHeader(k.token))).toMatchObject({ took: false, status: 401 });
  });

  it("leaves misses, other methods, query strings, unknown patients and other routes to the app", async () => {
    await same(path(cohortA, "P2"), apiKeyHeader(tok.root!));
    expect(await same(path(cohortA, "P2"), apiKeyHeader(tok.root!))).toMatchObject({ took: true });
    expect(await same(path(cohortA, "P2") + "?x=1", apiKeyHeader(tok.root!))).toMatchObject({ took: false, status: 200 });
    expect(await same(path(cohortA, "P2"), apiKeyHeader(tok.root!), "HEAD")).toMatchObject({ took: false });
    expect(await same(path(cohortA, "NOPE"), apiKeyHeader(tok.root!))).toMatchObject({ took: false, status: 404 });
    expect(await same(path(cohortA, "P%32"), apiKeyHeader(tok.root!))).toMatchObject({ took: false });
    expect(await same(`/v1/cohorts/${cohortA}/patients/P2`, apiKeyHeader(tok.root!))).toMatchObject({ took: false });
  });

  it("a write is visible to the next read through the fast path (the cache entry is replaced at commit)", async () => {
    const p = path(cohortA, "P2");
    await same(p, apiKeyHeader(tok.root!));
    const before = await same(p, apiKeyHeader(tok.root!));
    expect(before.took).toBe(true);
    const res = await fetch(`http://127.0.0.1:${fast.port}/v1/cohorts/${cohortA}/patients/P2/studies/S2`, {
      method: "PUT",
      headers: { ...apiKeyHeader(tok.root!), "content-type": "application/json" },
      body: JSON.stringify(studyBody("2024-03-10", [{ pos: [0, 0, 0], long: 30 }])),
    });
    expect(res.status).toBe(201);
    const after = await answer(await get(fast.port, p, apiKeyHeader(tok.root!)));
    expect(after.headers.etag).not.toBe(before.etag);
    expect(JSON.parse(after.body).studies).toHaveLength(2);
  });
});

/** An HTTP/1.0 GET without a Host line (raw socket); the status code. */
function getWithoutHost(port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`GET ${path} HTTP/1.0\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`));
    let data = "";
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (data += d));
    socket.on("end", () => resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on("error", reject);
  });
}

/** A GET with exactly these header lines (arrays = repeated lines), as fetch cannot send them. */
function rawGet(port: number, path: string, headers: Record<string, string | string[]>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.each(backends)("timeline fast path and odd requests ($name)", (backend) => {
  it("leaves repeated Authorization lines and a Host the Node adapter refuses to the app, and copies its CORS headers", async () => {
    const corsOrigins = ["https://ui.example"];
    const t = await createSecuredTestApp(backend, { cacheTtlMs: 60_000, overrides: { config: { bodyLimitBytes: 256 * 1024, corsOrigins } } });
    await attachTimelineCache(t.handle, t.deps);
    const fast = await listen(t.deps, 0, "127.0.0.1");
    const app = await listen({ ...t.deps, fastPath: false }, 0, "127.0.0.1");
    const cohortId = uniqueId("fo");
    try {
      const root = await t.key(["*:admin"], "root");
      const other = await t.key(["*:read"], "other");
      expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: cohortId }, apiKeyHeader(root.token))).status).toBe(201);
      expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F" }, apiKeyHeader(root.token))).status).toBe(201);
      const p = `/v1/cohorts/${cohortId}/patients/P1/timeline`;
      const warm = await rawGet(fast.port, p, { authorization: `Bearer ${root.token}` });
      expect(warm.status).toBe(200);
      await rawGet(fast.port, p, { authorization: `Bearer ${other.token}` });
      const served = () => fast.fastPath!.served;

      const cases: [Record<string, string | string[]>, number][] = [
        [{ authorization: [`Bearer ${root.token}`, `Bearer ${other.token}`] }, 401],
        [{ authorization: [`Bearer ${root.token}`, "Basic Zm9v"] }, 401],
        [{ authorization: `Bearer ${root.token}`, host: "a@b" }, 400],
        [{ authorization: `Bearer ${root.token}`, host: "b/c" }, 400],
      ];
      for (const [headers, status] of cases) {
        const before = served();
        const viaFast = await rawGet(fast.port, p, headers);
        expect(served()).toBe(before);
        expect([viaFast.status, (await rawGet(app.port, p, headers)).status]).toEqual([status, status]);
      }
      // Without a Host line the app falls back to the listen address: left to it too.
      const before = served();
      const noHost = await getWithoutHost(fast.port, p, { authorization: `Bearer ${root.token}` });
      expect(served()).toBe(before);
      expect(noHost).toBe(await getWithoutHost(app.port, p, { authorization: `Bearer ${root.token}` }));
      // A plain cached read is still taken, with the app's CORS headers for each kind of Origin.
      for (const origin of [undefined, "https://ui.example", "https://evil.example"]) {
        const headers = { authorization: `Bearer ${root.token}`, ...(origin ? { origin } : {}) };
        const before = served();
        const a = await fetch(`http://127.0.0.1:${fast.port}${p}`, { headers });
        expect(served()).toBe(before + 1);
        const b = await fetch(`http://127.0.0.1:${app.port}${p}`, { headers });
        const cors = (r: Response) => ["access-control-allow-origin", "access-control-expose-headers", "vary"].map((k) => r.headers.get(k));
        expect(cors(a)).toEqual(cors(b));
        expect(cors(a)[1]).toBe("etag,x-request-id,retry-after");
        expect(cors(a)[0]).toBe(origin === "https://ui.example" ? origin : null);
        expect(await a.text()).toBe(await b.text());
      }
    } finally {
      fast.server.close();
      app.server.close();
      await dropCohort(t.handle, cohortId);
      await t.close();
    }
  });
});

describe.each(backends)("timeline fast path and the rate limit ($name)", (backend) => {
  it("counts in the same window as the app and leaves the 429 to it", async () => {
    const t = await createSecuredTestApp(backend, { cacheTtlMs: 60_000, rateLimit: { limit: 4, windowMs: 60_000 } });
    await attachTimelineCache(t.handle, t.deps);
    const s = await listen(t.deps, 0, "127.0.0.1");
    const cohortId = uniqueId("fr");
    try {
      const root = await t.key(["*:admin"], "root");
      expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: cohortId }, apiKeyHeader(root.token))).status).toBe(201);
      expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F", birthYear: 1960 }, apiKeyHeader(root.token))).status).toBe(201);
      const reader = await t.key([`${cohortId}:read`]);
      const statuses: [number, string | null, string | null][] = [];
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`http://127.0.0.1:${s.port}/v1/cohorts/${cohortId}/patients/P1/timeline`, { headers: apiKeyHeader(reader.token) });
        statuses.push([res.status, res.headers.get("ratelimit-remaining"), res.headers.get("retry-after")]);
        await res.text();
      }
      expect(statuses.map((x) => x[0])).toEqual([200, 200, 200, 200, 429, 429]);
      expect(statuses.slice(0, 4).map((x) => x[1])).toEqual(["3", "2", "1", "0"]);
      expect(Number(statuses[4]![2])).toBeGreaterThan(0);
      // Requests 2-4 came from memory; the refused ones were answered by the app.
      expect(s.fastPath!.served).toBe(3);
    } finally {
      s.server.close();
      await dropCohort(t.handle, cohortId);
      await t.close();
    }
  });
});
