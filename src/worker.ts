import { createApp } from "./api/app.ts";
import { createPostgresDb } from "./db/postgres.ts";
import { createBaselinePredictor } from "./forecast/baseline.ts";

/** Cloudflare Workers bindings (wrangler.toml): PostgreSQL through Hyperdrive. */
interface WorkerEnv {
  HYPERDRIVE: { connectionString: string };
  BODY_LIMIT_BYTES?: string;
  CORS_ORIGINS?: string;
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
      config: {
        bodyLimitBytes: Number(env.BODY_LIMIT_BYTES ?? 2 * 1024 * 1024),
        corsOrigins: (env.CORS_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
      },
    });
    return app.fetch(request, env, executionCtx as never);
  },
};
