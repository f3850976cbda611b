import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, dropCohort, send, uniqueId, type TestApp } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";
import { createKey } from "../../src/service/keys-create.ts";
import { revokeKey } from "../../src/service/keys-revoke.ts";

const URL_ = process.env.TEST_DATABASE_URL;
if (!URL_) console.info("[workerd] TEST_DATABASE_URL not set: the Worker under workerd needs PostgreSQL, skipped");

/** Miniflare refuses a Hyperdrive connection string without a password; trust auth ignores it. */
function withPassword(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = "x";
  return u.toString();
}

/** A port free right now on loopback (wrangler dev needs a number). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** `wrangler dev` with the committed wrangler.toml, as a person runs it; resolves when workerd is ready. */
async function startWranglerDev(port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(resolve("node_modules/.bin/wrangler"), ["dev", "--port", String(port), "--ip", "127.0.0.1", "--log-level", "info"], {
    env: { ...process.env, ...env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`wrangler dev did not start in 180 s:\n${log.slice(-2000)}`)), 180_000);
    const seen = (chunk: Buffer) => {
      log += chunk.toString();
      if (/Ready on http/.test(log)) {
        clearTimeout(timer);
        ok();
      }
    };
    child.stdout!.on("data", seen);
    child.stderr!.on("data", seen);
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`wrangler dev exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
  return child;
}

describe.skipIf(!URL_)("the Workers entry under workerd (`wrangler dev` with wrangler.toml) on PostgreSQL", () => {
  let t: TestApp;
  let worker: ChildProcess | undefined;
  let base: string;
  let token: string;
  let keyId: string;
  const cohortId = uniqueId("wk");

  beforeAll(async () => {
    // Node applies the migrations and the data; the Worker only reads and writes through its own app.
    t = await createTestApp({ name: "postgres", target: URL_! });
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "workerd" })).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F" })).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 22 }]))).status).toBe(201);
    ({ token, keyId } = await createKey({ ctx: { db: t.handle.db, clock: t.deps.clock }, input: { name: "workerd test", scopes: [`${cohortId}:write`] } }));
    // Wrangler's documented override of the Hyperdrive binding's localConnectionString.
    const port = await freePort();
    worker = await startWranglerDev(port, { CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: withPassword(URL_!) });
    base = `http://127.0.0.1:${port}`;
  }, 240_000);
  afterAll(async () => {
    if (worker?.pid) {
      try {
        process.kill(-worker.pid, "SIGTERM"); // the whole group: wrangler and its workerd
      } catch {
        /* already gone */
      }
    }
    if (t) {
      await revokeKey({ ctx: { db: t.handle.db, clock: t.deps.clock }, keyId }).catch(() => {});
      await dropCohort(t.handle, cohortId);
      await t.close();
    }
  });

  const key = () => ({ "x-api-key": token });

  it("answers /health from PostgreSQL with the baseline predictor", async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { roundTripMs: expect.any(Number) }, model: { kind: expect.stringMatching(/baseline/) } });
  });

  it("reads a timeline and writes a study with a SHA-256 API key made in Node", async () => {
    const before = await fetch(`${base}/v1/cohorts/${cohortId}/patients/P1/timeline`, { headers: key() });
    expect(before.status).toBe(200);
    expect(JSON.stringify(await before.json())).toContain("S1");
    const put = await fetch(`${base}/v1/cohorts/${cohortId}/patients/P1/studies/S2`, {
      method: "PUT",
      headers: { ...key(), "content-type": "application/json" },
      body: JSON.stringify(studyBody("2024-03-10", [{ pos: [1, 0, 0], long: 18 }])),
    });
    expect(put.status, await put.clone().text()).toBe(201);
    const after = await (await fetch(`${base}/v1/cohorts/${cohortId}/patients/P1/timeline`, { headers: key() })).json();
    expect(JSON.stringify(after)).toContain("S2");
  });

  it("answers 401 without a credential or with a wrong one, 404 for a cohort the key cannot see", async () => {
    const none = await fetch(`${base}/v1/cohorts/${cohortId}`);
    expect(none.status).toBe(401);
    expect(none.headers.get("content-type")).toContain("application/problem+json");
    expect((await fetch(`${base}/v1/cohorts/${cohortId}`, { headers: { "x-api-key": `lt_${keyId}_${"A".repeat(43)}` } })).status).toBe(401);
    expect((await fetch(`${base}/v1/cohorts/no-such-cohort/patients/P1/timeline`, { headers: key() })).status).toBe(404);
    expect((await fetch(`${base}/v1/no-such-route`, { headers: key() })).status).toBe(404);
  });
});
