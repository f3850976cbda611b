import { readFileSync } from "node:fs";
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import type { Principal } from "./principal.ts";
import { scopesFromClaim } from "./scopes.ts";

export interface JwtOptions {
  /** Where the signing keys come from: an https/http JWKS URL, a local JWKS file, or a JWKS object. */
  jwksUrl?: string;
  jwksFile?: string;
  jwks?: JSONWebKeySet;
  issuer?: string;
  audience?: string;
  /** Claim holding `cohort:role` scopes (space-separated string or array); default `scope`. */
  scopesClaim?: string;
  /** Longest accepted distance of `exp` in the future, seconds (a token must expire, and soon). Default 86400. */
  maxLifetimeSeconds?: number;
  /** Clock for exp/nbf checks (tests); default the system clock. */
  now?: () => number;
}

export interface VerifiedJwt {
  principal: Principal;
  /** Seconds since epoch when the token stops being valid (cache entries never outlive it). */
  exp: number;
}

export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 86_400;

/** Verifies bearer JWTs against the configured JWKS and maps their claims to our scopes. */
export function createJwtVerifier(options: JwtOptions): (token: string) => Promise<VerifiedJwt | null> {
  const keys: JWTVerifyGetKey = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 })
    : createLocalJWKSet(options.jwks ?? (JSON.parse(readFileSync(options.jwksFile!, "utf8")) as JSONWebKeySet));
  const claim = options.scopesClaim ?? "scope";
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_JWT_MAX_LIFETIME_SECONDS;
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        ...(options.issuer ? { issuer: options.issuer } : {}),
        ...(options.audience ? { audience: options.audience } : {}),
        requiredClaims: ["sub", "exp"],
        ...(options.now ? { currentDate: new Date(options.now()) } : {}),
      });
      const nowSeconds = (options.now ? options.now() : Date.now()) / 1000;
      // A token valid for years is a leaked-forever credential: refuse it rather than trust it.
      if (payload.exp! - nowSeconds > maxLifetime) return null;
      return { principal: { id: `jwt:${payload.sub}`, kind: "jwt", scopes: scopesFromClaim(payload[claim]) }, exp: payload.exp! };
    } catch {
      return null;
    }
  };
}

/** A JWT has three base64url parts; an API key never has a dot. */
export const looksLikeJwt = (token: string): boolean => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
