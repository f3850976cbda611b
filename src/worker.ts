import { createApp } from "./api/app.ts";
import type { Authenticate } from "./auth/principal.ts";
import { credentialOf } from "./auth/credential.ts";
import { createJwtVerifier, looksLikeJwt } from "./auth/jwt.ts";
import { createPostgresDb } from "./db/postgres.ts";
import { createBaselinePredictor } from "./forecast/baseline.ts";

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

/**
 * API keys are argon2id-hashed and argon2 is a native module that Workers cannot load, so on
 * Workers /v1 accepts JWT bearer tokens only; without JWT_JWKS_URL every /v1 request is 401.
 */
function jwtOnly(env: WorkerEnv): Authenticate {
  if (!env.JWT_JWKS_URL) return async () => null;
  const verify = createJwtVerifier({
    jwksUrl: env.JWT_JWKS_URL,
    ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
    ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
    ...(env.JWT_SCOPES_CLAIM ? { scopesClaim: env.JWT_SCOPES_CLAIM } : {}),
    ...(env.JWT_MAX_LIFETIME_SECONDS ? { maxLifetimeSeconds: Number(env.JWT_MAX_LIFETIME_SECONDS) } : {}),
  });
  return async (req) => {
    const credential = credentialOf(req);
    return credential && looksLikeJwt(credential) ? ((await verify(credential))?.principal ?? null) : null;
  };
}

let app: ReturnType<typeof createApp> | undefined;

/**
 * Same createApp as Node; onnxruntime-node cannot run on Workers, so forecasts use the pure
 * baseline predictor and say so. Migrations are applied from Node (`lesiontrack migrate`).
 */
export default {
  fetch(request: Request, env: WorkerEnv, executionCtx: unknown): Response | Promise<Response> {
    app ??= createApp({
      db: createPostgresDb(env.HYPERDRIVE.connectionString, { poolSize: 5 }).db,
      clock: { now: () => new Date() },
      predictor: createBaselinePredictor(),
      authenticate: jwtOnly(env),
      config: {
        bodyLimitBytes: Number(env.BODY_LIMIT_BYTES ?? 2 * 1024 * 1024),
        corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
      },
    });
    return app.fetch(request, env, executionCtx as never);
  },
};
