import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, inArray, sql } from "drizzle-orm";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, uniqueId } from "../helpers/test-app.ts";
import { apiKeyHeader, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";
import { apiKeys, auditLog } from "../../src/db/schema/index.ts";

describe.each(backends)("API keys over HTTP ($name)", (backend) => {
  let t: SecuredTestApp;
  let cohortA: string;
  let cohortB: string;
  const tok: Record<string, string> = {};
  const made: string[] = [];

  const createVia = async (token: string, body: unknown) => {
    const res = await send(t.app, "POST", "/v1/keys", body, apiKeyHeader(token));
    const json = (await res.json()) as any;
    if (res.status === 201) made.push(json.keyId);
    return { status: res.status, json };
  };
  const listVia = async (token: string) => ((await (await send(t.app, "GET", "/v1/keys", undefined, apiKeyHeader(token))).json()) as any).items as any[];

  beforeAll(async () => {
    // A long key cache TTL: revocation through the API must still take effect at once.
    t = await createSecuredTestApp(backend, { cacheTtlMs: 60_000 });
    const root = await t.key(["*:admin"], "root");
    tok.root = root.token;
    cohortA = uniqueId("ka");
    cohortB = uniqueId("kb");
    for (const id of [cohortA, cohortB]) expect((await send(t.app, "POST", "/v1/cohorts", { cohortId: id, name: id }, apiKeyHeader(root.token))).status).toBe(201);
    tok.adminA = (await t.key([`${cohortA}:admin`])).token;
    tok.writerA = (await t.key([`${cohortA}:write`])).token;
    tok.readerB = (await t.key([`${cohortB}:read`])).token;
  });
  afterAll(async () => {
    if (made.length > 0) await t.handle.db.delete(apiKeys).where(inArray(apiKeys.keyId, made));
    for (const c of [cohortA, cohortB]) await dropCohort(t.handle, c);
    await t.close();
  });

  it("creates a key shown once, lists it without secrets, and revokes it so that this server refuses it at once", async () => {
    const created = await createVia(tok.root!, { name: "dashboard", scopes: [`${cohortA}:read`] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "dashboard", scopes: [`${cohortA}:read`], token: expect.stringMatching(/^lt_[0-9a-f]{12}_/) });
    const key = created.json;
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortA}`, undefined, apiKeyHeader(key.token))).status).toBe(200);

    const listed = (await listVia(tok.root!)).find((k) => k.keyId === key.keyId);
    expect(listed).toEqual({ keyId: key.keyId, name: "dashboard", scopes: [`${cohortA}:read`], createdAt: key.createdAt, revokedAt: null });
    expect(JSON.stringify(await listVia(tok.root!))).not.toMatch(/token|secret|argon2/i);

    const revoked = await send(t.app, "DELETE", `/v1/keys/${key.keyId}`, undefined, apiKeyHeader(tok.root!));
    expect(revoked.status).toBe(200);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortA}`, undefined, apiKeyHeader(key.token))).status).toBe(401);
    expect((await send(t.app, "DELETE", `/v1/keys/${key.keyId}`, undefined, apiKeyHeader(tok.root!))).status).toBe(200);

    const audit = await t.handle.db.select().from(auditLog).where(and(eq(auditLog.cohortId, "*"), sql`${auditLog.after}->>'keyId' = ${key.keyId} or ${auditLog.before}->>'keyId' = ${key.keyId}`));
    expect(audit.map((a) => a.action).sort()).toEqual(["key.create", "key.revoke"]);
    expect(audit.every((a) => a.actor.startsWith("key:") && a.route !== null && !JSON.stringify(a.after).includes(key.token))).toBe(true);
  });

  it("lets a cohort admin manage keys of its own cohort only", async () => {
    expect((await createVia(tok.adminA!, { name: "a-writer", scopes: [`${cohortA}:write`] })).status).toBe(201);
    const other = await createVia(tok.adminA!, { name: "b", scopes: [`${cohortB}:read`] });
    expect(other.status).toBe(403);
    expect(other.json.detail).toMatch(new RegExp(`cohort ${cohortB}`));
    expect((await createVia(tok.adminA!, { name: "all", scopes: ["*:read"] })).status).toBe(403);
    expect((await createVia(tok.adminA!, { name: "mixed", scopes: [`${cohortA}:read`, `${cohortB}:read`] })).status).toBe(403);

    const seen = await listVia(tok.adminA!);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((k) => k.scopes.every((s: string) => s.startsWith(`${cohortA}:`)))).toBe(true);

    // A key of cohort B is answered as unknown, and stays usable.
    const b = (await createVia(tok.root!, { name: "b-reader", scopes: [`${cohortB}:read`] })).json;
    const refused = await send(t.app, "DELETE", `/v1/keys/${b.keyId}`, undefined, apiKeyHeader(tok.adminA!));
    expect(refused.status).toBe(404);
    expect((await send(t.app, "GET", `/v1/cohorts/${cohortB}`, undefined, apiKeyHeader(b.token))).status).toBe(200);
  });

  it("refuses key writes to credentials without admin before reading the body; their list is empty", async () => {
    for (const token of [tok.writerA!, tok.readerB!]) {
      expect((await createVia(token, { name: "x", scopes: [`${cohortA}:read`] })).status).toBe(403);
      expect((await createVia(token, { nonsense: true })).status).toBe(403);
      expect((await send(t.app, "DELETE", "/v1/keys/000000000000", undefined, apiKeyHeader(token))).status).toBe(403);
      expect(await listVia(token)).toEqual([]);
    }
  });

  it("shows key events over the API only for keys the caller administers, never with a secret", async () => {
    const a = (await createVia(tok.root!, { name: "audit-a", scopes: [`${cohortA}:read`] })).json;
    const b = (await createVia(tok.root!, { name: "audit-b", scopes: [`${cohortB}:read`] })).json;
    expect((await send(t.app, "DELETE", `/v1/keys/${a.keyId}`, undefined, apiKeyHeader(tok.root!))).status).toBe(200);
    const eventsOf = async (token: string) => {
      const res = await send(t.app, "GET", "/v1/keys/audit?limit=500", undefined, apiKeyHeader(token));
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toMatch(/lt_[0-9a-f]{12}_/);
      return (JSON.parse(text).items as any[]).map((e) => `${e.action} ${e.after?.keyId ?? e.before?.keyId}`);
    };
    const root = await eventsOf(tok.root!);
    expect(root).toEqual(expect.arrayContaining([`key.revoke ${a.keyId}`, `key.create ${a.keyId}`, `key.create ${b.keyId}`]));
    expect(root.indexOf(`key.revoke ${a.keyId}`)).toBeLessThan(root.indexOf(`key.create ${a.keyId}`)); // newest first
    const adminA = await eventsOf(tok.adminA!);
    expect(adminA).toEqual(expect.arrayContaining([`key.revoke ${a.keyId}`, `key.create ${a.keyId}`]));
    expect(adminA).not.toContain(`key.create ${b.keyId}`);
    expect(await eventsOf(tok.writerA!)).toEqual([]);
  });

  it("names the offending field of a bad key body", async () => {
    const bad = await createVia(tok.root!, { name: "x", scopes: ["nocolon"] });
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: any) => e.path)).toContain("scopes[0]");
    expect((await createVia(tok.root!, { name: "", scopes: [`${cohortA}:read`] })).status).toBe(400);
    expect((await send(t.app, "DELETE", "/v1/keys/not-hex", undefined, apiKeyHeader(tok.root!))).status).toBe(400);
  });
});
