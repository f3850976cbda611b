import { createApp } from "./api/app.ts";
import { createAuthenticator } from "./auth/authenticate.ts";
import { createJwtVerifier } from "./auth/jwt.ts";
import { createPostgresDb } from "./db/postgres.ts";
import { createBaselinePredictor } from "./forecast/baseline.ts";
import { keyAdmin } from "./service/keys.ts";
import { lookupKey } from "./service/keys-lookup.ts";

/** Cloudflare Workers bindings (wrangler.toml): PostgreSQL through Hyperdrive, JWT issuer's JWKS. */
interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
  JWT_JWKS_URL?: string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  JWT_SCOPES_CLAIM?: string;
  JWT_MAX_LIFETIME_SECONDS?: string;
  BODY_LIMIT_BYTES?: string;
  CORS_ORIGINS?: string;
}

let app: ReturnType<typeof createApp> | undefined;

/**
 * Same createApp as Node; onnxruntime-node cannot run on Workers, so forecasts use the pure
 * baseline predictor and say so. API keys are SHA-256 hashed (WebCrypto), so they work here
 * too; keys still holding an argon2id hash (made before) work on Node until first used there.
 * Migrations are applied from Node (`lesiontrack migrate`).
 */
export default {
  fetch(request: Request, env: WorkerEnv, executionCtx: unknown): Response | Promise<Response> {
    if (!app) {
      const db = createPostgresDb(env.HYPERDRIVE.connectionString, { poolSize: 5 }).db;
      const verifyJwt = env.JWT_JWKS_URL
        ? createJwtVerifier({
            jwksUrl: env.JWT_JWKS_URL,
            ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
            ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
            ...(env.JWT_SCOPES_CLAIM ? { scopesClaim: env.JWT_SCOPES_CLAIM } : {}),
            ...(env.JWT_MAX_LIFETIME_SECONDS ? { maxLifetimeSeconds: Number(env.JWT_MAX_LIFETIME_SECONDS) } : {}),
          })
        : undefined;
      app = createApp({
        db,
        clock: { now: () => new Date() },
        predictor: createBaselinePredictor(),
        authenticate: createAuthenticator({ lookupKey: (keyId) => lookupKey({ ctx: { db }, keyId }), ...(verifyJwt ? { verifyJwt } : {}) }),
        keys: keyAdmin,
        config: {
          bodyLimitBytes: Number(env.BODY_LIMIT_BYTES ?? 2 * 1024 * 1024),
          corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
        },
      });
    }
    return app.fetch(request, env, executionCtx as never);
  },
};
