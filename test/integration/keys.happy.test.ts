import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, uniqueId } from "../helpers/test-app.ts";
import { apiKeyHeader, bearer, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";
import { apiKeys } from "../../src/db/schema/index.ts";
import { listKeys } from "../../src/service/keys-list.ts";
import { parseScope, scopesFromClaim } from "../../src/auth/scopes.ts";

describe.each(backends)("API keys and JWTs ($name)", (backend) => {
  let t: SecuredTestApp;
  let cohortId: string;
  let now = Date.now();
  beforeAll(async () => {
    t = await createSecuredTestApp(backend, { cacheTtlMs: 5000, now: () => now, jwksSource: "file" });
    const root = await t.key(["*:admin"]);
    cohortId = uniqueId("k");
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "keys" }, apiKeyHeader(root.token))).status).toBe(201);
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  it("stores only an argon2id hash; the key is never in the table or the listing", async () => {
    const k = await t.key([`${cohortId}:read`], "dashboard");
    expect(k.token).toMatch(/^lt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const [row] = await t.handle.db.select().from(apiKeys).where(eq(apiKeys.keyId, k.keyId));
    expect(row!.secretHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(k.token.slice(16));
    const listed = (await listKeys({ ctx: { db: t.handle.db } })).find((x) => x.keyId === k.keyId);
    expect(listed).toEqual({ keyId: k.keyId, name: "dashboard", scopes: [{ cohortId, role: "read" }], createdAt: expect.any(String), revokedAt: null });
  });

  it("two keys made the same way differ", async () => {
    const [a, b] = [await t.key([`${cohortId}:read`]), await t.key([`${cohortId}:read`])];
    expect(a.token).not.toBe(b.token);
    expect(a.keyId).not.toBe(b.keyId);
  });

  it("keeps trusting a verified key until the cache TTL, then sees the revocation", async () => {
    const k = await t.key([`${cohortId}:read`]);
    const get = () => send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, apiKeyHeader(k.token));
    expect((await get()).status).toBe(200);
    await t.revoke(k.keyId); // as `keys revoke` in another process would
    expect((await get()).status).toBe(200); // within API_KEY_CACHE_TTL_MS
    now += 5001;
    expect((await get()).status).toBe(401);
    now += 60_000;
    expect((await get()).status).toBe(401);
  });

  it("forgets a key at once when this process revokes it", async () => {
    const k = await t.key([`${cohortId}:read`]);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(k.token))).status).toBe(200);
    await t.revoke(k.keyId);
    t.authenticator.forget(k.keyId);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(k.token))).status).toBe(401);
  });

  it("picks up changed scopes after the TTL without re-hashing", async () => {
    const k = await t.key([`${cohortId}:read`]);
    const put = () => send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/PX`, { sex: "F" }, apiKeyHeader(k.token));
    expect((await put()).status).toBe(403);
    await t.handle.db.update(apiKeys).set({ scopes: [{ cohortId, role: "write" }] }).where(eq(apiKeys.keyId, k.keyId));
    now += 5001;
    expect((await put()).status).toBe(201);
  });

  it("verifies JWTs against a JWKS file and maps space-separated and array scope claims", async () => {
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(await t.jwt({ scope: `openid profile ${cohortId}:read` })))).status).toBe(200);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(await t.jwt({ scope: [`${cohortId}:read`] })))).status).toBe(200);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(await t.jwt({ scope: "openid" })))).status).toBe(404);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(await t.jwt({ sub: undefined, scope: `${cohortId}:read` })))).status).toBe(401);
  });

  it("does not accept a JWT after its exp even while cached", async () => {
    const token = await t.jwt({ scope: `${cohortId}:read`, exp: Math.floor(now / 1000) + 2 });
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(token))).status).toBe(200);
    now += 3000;
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(token))).status).toBe(401);
  });
});

describe.each(backends)("JWKS over HTTP on 127.0.0.1 ($name)", (backend) => {
  it("fetches the key set from the configured URL", async () => {
    const t = await createSecuredTestApp(backend, { jwksSource: "url" });
    try {
      const root = await t.key(["*:admin"]);
      const cohortId = uniqueId("ku");
      expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "u" }, apiKeyHeader(root.token))).status).toBe(201);
      expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(await t.jwt({ scope: `${cohortId}:admin` })))).status).toBe(200);
      expect((await send(t.app, "GET", `/v1/cohorts/${cohortId}`, undefined, bearer(await t.foreignJwt({ scope: `${cohortId}:admin` })))).status).toBe(401);
      await dropCohort(t.handle, cohortId);
    } finally {
      await t.close();
    }
  });
});

describe("scope syntax", () => {
  it("parses cohort:role with colons in cohort ids and rejects anything else", () => {
    expect(parseScope("demo:read")).toEqual({ cohortId: "demo", role: "read" });
    expect(parseScope("*:admin")).toEqual({ cohortId: "*", role: "admin" });
    expect(parseScope("trial:2024:write")).toEqual({ cohortId: "trial:2024", role: "write" });
    for (const bad of ["demo", "demo:", ":read", "demo:owner", "de mo:read", "*:*"]) expect(parseScope(bad)).toBeNull();
    expect(scopesFromClaim("openid demo:read  x:write")).toEqual([{ cohortId: "demo", role: "read" }, { cohortId: "x", role: "write" }]);
    expect(scopesFromClaim(42)).toEqual([]);
  });
});

describe("keys CLI", () => {
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "keys", ...args], { encoding: "utf8", timeout: 60_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  it("creates (key alone on the last line), lists without secrets, revokes; refuses a bad scope", () => {
    const dir = mkdtempSync(join(tmpdir(), "lt-keys-cli-"));
    try {
      const created = cli(["create", "--name", "ci", "--scope", "demo:read", "--scope", "*:admin", "--db", dir]);
      expect(created.code, created.err).toBe(0);
      const lines = created.out.trimEnd().split("\n");
      expect(lines.at(-1)).toMatch(/^lt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      const keyId = lines.at(-1)!.slice(3, 15);
      const listed = cli(["list", "--json", "--db", dir]);
      expect(JSON.parse(listed.out)).toEqual([expect.objectContaining({ keyId, name: "ci", scopes: [{ cohortId: "demo", role: "read" }, { cohortId: "*", role: "admin" }], revokedAt: null })]);
      expect(listed.out).not.toContain(lines.at(-1)!.slice(16));
      expect(cli(["revoke", keyId, "--db", dir]).code).toBe(0);
      expect(JSON.parse(cli(["list", "--json", "--db", dir]).out)[0].revokedAt).toEqual(expect.any(String));
      const bad = cli(["create", "--name", "x", "--scope", "demo:owner", "--db", dir]);
      expect(bad.code).toBe(2); // a usage mistake
      expect(bad.err).toContain("demo:owner");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
