import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { backends } from "../helpers/backends.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { createAuthenticator } from "../../src/auth/authenticate.ts";
import { apiKeys } from "../../src/db/schema/index.ts";
import { createKey } from "../../src/service/keys-create.ts";
import { lookupKey } from "../../src/service/keys-lookup.ts";

describe.each(backends)("API key verification under abuse ($name)", (backend) => {
  let t: TestApp;
  const made: string[] = [];
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(async () => {
    if (made.length > 0) await t.handle.db.delete(apiKeys).where(inArray(apiKeys.keyId, made));
    await t.close();
  });

  async function setup() {
    const key = await createKey({ ctx: { db: t.handle.db, clock: t.deps.clock }, input: { name: "abuse", scopes: ["c1:read"] } });
    made.push(key.keyId);
    let lookups = 0;
    const auth = createAuthenticator({
      lookupKey: (keyId) => {
        lookups++;
        return lookupKey({ ctx: { db: t.handle.db }, keyId });
      },
      cacheTtlMs: 60_000,
      maxFailuresPerMinute: 5,
    });
    const req = (token: string) => new Request("http://x/v1/cohorts/c1", { headers: { "x-api-key": token } });
    return { key, auth, req, lookups: () => lookups };
  }

  it("verifies concurrent first uses of a key once (one lookup, one hash)", async () => {
    const { key, auth, req, lookups } = await setup();
    const results = await Promise.all(Array.from({ length: 20 }, () => auth(req(key.token))));
    expect(results.every((p) => p?.id === `key:${key.keyId}`)).toBe(true);
    expect(lookups()).toBe(1);
    await auth(req(key.token));
    expect(lookups()).toBe(1);
  });

  it("stops hashing guesses for a key id after repeated wrong secrets, while the cached key keeps working", async () => {
    const { key, auth, req, lookups } = await setup();
    expect(await auth(req(key.token))).not.toBeNull();
    const guess = (i: number) => `lt_${key.keyId}_${String(i).padStart(43, "A")}`;
    for (let i = 0; i < 5; i++) expect(await auth(req(guess(i)))).toBeNull();
    const before = lookups();
    for (let i = 5; i < 50; i++) expect(await auth(req(guess(i)))).toBeNull();
    expect(lookups()).toBe(before); // refused without reading the row or hashing
    expect(await auth(req(key.token))).not.toBeNull();
  });

  it("refuses without a lookup what is not a credential: no header, wrong shape, oversized", async () => {
    const { auth, lookups } = await setup();
    const headers: Record<string, string>[] = [{}, { "x-api-key": "lt_short" }, { authorization: "Token abc" }, { "x-api-key": `lt_${"a".repeat(10_000)}` }, { authorization: "Bearer a.b.c" }];
    for (const h of headers) expect(await auth(new Request("http://x/v1/cohorts", { headers: h }))).toBeNull();
    expect(lookups()).toBe(0);
  });
});
