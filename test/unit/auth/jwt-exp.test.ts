import { describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { createJwtVerifier } from "../../../src/auth/jwt.ts";

const NOW = Date.parse("2026-01-15T12:00:00Z");
const seconds = NOW / 1000;

describe("JWT expiry is required and bounded", async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const verify = createJwtVerifier({ jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" }] }, maxLifetimeSeconds: 3600, now: () => NOW });
  const sign = (claims: JWTPayload) => new SignJWT({ sub: "u1", scope: "demo:read", ...claims }).setProtectedHeader({ alg: "ES256", kid: "k" }).setIssuedAt(seconds).sign(privateKey);

  it("accepts a token expiring within the bound", async () => {
    const v = await verify(await sign({ exp: seconds + 3600 }));
    expect(v?.principal).toEqual({ id: "jwt:u1", kind: "jwt", scopes: [{ cohortId: "demo", role: "read" }] });
    expect(v?.exp).toBe(seconds + 3600);
  });

  it("refuses a token without exp", async () => {
    expect(await verify(await sign({}))).toBeNull();
  });

  it("refuses a token whose exp lies further ahead than the setting allows", async () => {
    expect(await verify(await sign({ exp: seconds + 3601 }))).toBeNull();
    expect(await verify(await sign({ exp: seconds + 10 * 365 * 86400 }))).toBeNull();
  });

  it("refuses an expired token", async () => {
    expect(await verify(await sign({ exp: seconds - 1 }))).toBeNull();
  });
});
