import { AsyncLocalStorage } from "node:async_hooks";
import { createApp } from "./api/app.ts";
import { createAuthenticator } from "./auth/authenticate.ts";
import { createJwtVerifier } from "./auth/jwt.ts";
import { createPostgresDb } from "./db/postgres.ts";
import { createBaselinePredictor } from "./forecast/baseline.ts";
import { keyAdmin } from "./service/keys.ts";
import { lookupKey } from "./service/keys-lookup.ts";
import type { Db } from "./db/types.ts";

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
 * Workers refuse I/O on a socket another request opened, so a client kept across requests
 * fails from the second request on (500). Each request gets its own postgres.js client
 * (Hyperdrive pools the real connections); the app holds one Db that forwards to it.
 */
const requestDb = new AsyncLocalStorage<Db>();
const db = new Proxy({} as Db, {
  get(_target, prop) {
    const current = requestDb.getStore();
    if (!current) throw new Error("database used outside a request");
    const value = Reflect.get(current as object, prop) as unknown;
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(current) : value;
  },
});

/**
 * Same createApp as Node; onnxruntime-node cannot run on Workers, so forecasts use the pure
 * baseline predictor and say so. API keys are SHA-256 hashed (WebCrypto), so they work here
 * too; keys still holding an argon2id hash (made before) work on Node until first used there.
 * Migrations are applied from Node (`lesiontrack migrate`).
 */
export default {
  fetch(request: Request, env: WorkerEnv, executionCtx: unknown): Response | Promise<Response> {
    if (!app) {
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
    // Not ended here: a streamed export still reads after fetch returns; the runtime closes
    // a request's sockets when the request is done.
    const own = createPostgresDb(env.HYPERDRIVE.connectionString, { poolSize: 5 }).db;
    return requestDb.run(own, () => app!.fetch(request, env, executionCtx as never));
  },
};
