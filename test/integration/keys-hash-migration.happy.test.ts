import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { hash } from "@node-rs/argon2";
import { backends } from "../helpers/backends.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { apiKeys } from "../../src/db/schema/index.ts";
import { hashSecret } from "../../src/auth/api-key.ts";
import { createAuthenticator } from "../../src/auth/authenticate.ts";
import { authenticatorFromEnv } from "../../src/auth/from-env.ts";
import { parseEnv } from "../../src/env.ts";
import { lookupKey } from "../../src/service/keys-lookup.ts";
import { upgradeKeyHash } from "../../src/service/keys-upgrade-hash.ts";

describe.each(backends)("API keys made with argon2id move to SHA-256 on first use ($name)", (backend) => {
  let t: TestApp;
  const keyId = randomBytes(6).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const token = `lt_${keyId}_${secret}`;
  const req = (tok: string) => new Request("http://x/v1/cohorts", { headers: { "x-api-key": tok } });
  const row = async () => (await t.handle.db.select().from(apiKeys).where(eq(apiKeys.keyId, keyId)))[0]!;

  beforeAll(async () => {
    t = await createTestApp(backend);
    // A row as earlier versions wrote it: argon2id of the secret.
    await t.handle.db.insert(apiKeys).values({ keyId, name: "old", secretHash: await hash(secret), scopes: [{ cohortId: "*", role: "read" }], createdAt: "2025-01-01T00:00:00Z", revokedAt: null });
  });
  afterAll(async () => {
    await t.handle.db.delete(apiKeys).where(eq(apiKeys.keyId, keyId));
    await t.close();
  });

  const lookup = (id: string) => lookupKey({ ctx: { db: t.handle.db }, keyId: id });
  /** What Workers run: no argon2, SHA-256 only. */
  const workersLike = () => createAuthenticator({ lookupKey: lookup, cacheTtlMs: 0 });

  it("is refused where argon2 is absent while the row still holds the argon2id hash", async () => {
    expect((await row()).secretHash).toMatch(/^\$argon2id\$/);
    expect(await workersLike()(req(token))).toBeNull();
  });

  it("is accepted by the Node server, which replaces the hash by SHA-256 of the secret", async () => {
    const node = authenticatorFromEnv(parseEnv({}), lookup, async (id, from, to) => void (await upgradeKeyHash({ ctx: { db: t.handle.db }, keyId: id, from, to })));
    expect(await node(req(token))).toMatchObject({ id: `key:${keyId}`, kind: "api-key" });
    expect((await row()).secretHash).toBe(await hashSecret(secret));
    expect(await node(req(token))).toMatchObject({ id: `key:${keyId}` });
  });

  it("then works everywhere, and a wrong secret is still refused", async () => {
    expect(await workersLike()(req(token))).toMatchObject({ id: `key:${keyId}` });
    expect(await workersLike()(req(`lt_${keyId}_${"B".repeat(43)}`))).toBeNull();
  });

  it("never overwrites a hash that changed meanwhile", async () => {
    expect(await upgradeKeyHash({ ctx: { db: t.handle.db }, keyId, from: "$argon2id$stale", to: "sha256:x" })).toBe(false);
    expect((await row()).secretHash).toBe(await hashSecret(secret));
  });
});
