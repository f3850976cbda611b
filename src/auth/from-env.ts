import type { Env } from "../env.ts";
import { createAuthenticator, type Authenticator, type StoredKey } from "./authenticate.ts";
import { createJwtVerifier } from "./jwt.ts";

/** The authenticator a server process uses: API keys always, JWTs when a JWKS is configured. */
export function authenticatorFromEnv(env: Env, lookupKey: (keyId: string) => Promise<StoredKey | undefined>): Authenticator {
  const jwks = env.JWT_JWKS_URL ? { jwksUrl: env.JWT_JWKS_URL } : env.JWT_JWKS_FILE ? { jwksFile: env.JWT_JWKS_FILE } : null;
  return createAuthenticator({
    lookupKey,
    cacheTtlMs: env.API_KEY_CACHE_TTL_MS,
    ...(jwks
      ? {
          verifyJwt: createJwtVerifier({
            ...jwks,
            scopesClaim: env.JWT_SCOPES_CLAIM,
            maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
            ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
            ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
          }),
        }
      : {}),
  });
}
