import { createServer } from "node:http";
import { getRequestListener, type ServerType } from "@hono/node-server";
import { createApp } from "./api/app.ts";
import type { AppDeps } from "./api/env.ts";
import { createDb, type DbHandle } from "./db/client.ts";
import { migrateDb } from "./db/migrate.ts";
import { databaseTarget, type Env } from "./env.ts";
import { loadPredictor } from "./forecast/load.ts";
import type { GrowthPredictor } from "./domain/growth/predictor.ts";
import { authenticatorFromEnv } from "./auth/from-env.ts";
import { rateLimit } from "./api/middleware/rate-limit.ts";
import { lookupKey } from "./service/keys-lookup.ts";
import { upgradeKeyHash } from "./service/keys-upgrade-hash.ts";
import { keyAdmin } from "./service/keys.ts";
import { TimelineCache } from "./service/timeline-cache.ts";
import { TIMELINE_CHANNEL } from "./db/queries/patients.ts";
import { timelineFastPath, type TimelineFastPath } from "./api/timeline-fast-path.ts";

export interface Runtime {
  handle: DbHandle;
  predictor: GrowthPredictor;
  deps: AppDeps;
}

/** Opens the database (migrated), loads the growth model once, and wires the app's deps. */
export async function openRuntime(env: Env, dbFlag?: string): Promise<Runtime> {
  const handle = await createDb(databaseTarget(env, dbFlag), { poolSize: env.DB_POOL_SIZE });
  await migrateDb(handle);
  const predictor = await loadPredictor(env.LESIONTRACK_MODEL_DIR);
  const deps: AppDeps = {
    db: handle.db,
    clock: { now: () => new Date() },
    predictor,
    config: { bodyLimitBytes: env.BODY_LIMIT_BYTES, corsOrigins: env.CORS_ORIGINS },
    // Every /v1 request needs an API key or JWT; limits are per credential.
    authenticate: authenticatorFromEnv(
      env,
      (keyId) => lookupKey({ ctx: { db: handle.db }, keyId }),
      async (keyId, from, to) => void (await upgradeKeyHash({ ctx: { db: handle.db }, keyId, from, to })),
    ),
    keys: keyAdmin,
    ...(env.RATE_LIMIT_MAX > 0 ? { rateLimit: rateLimit({ limit: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_MS }) } : {}),
  };
  await attachTimelineCache(handle, deps);
  return { handle, predictor, deps };
}

/**
 * Gives the app an in-process timeline cache kept true by NOTIFY; when the subscription
 * cannot be made the service simply reads every timeline from the database.
 */
export async function attachTimelineCache(handle: DbHandle, deps: AppDeps): Promise<void> {
  const cache = new TimelineCache();
  try {
    await handle.listen(TIMELINE_CHANNEL, (payload) => cache.announce(payload), () => cache.subscribed());
    deps.timelineCache = cache;
  } catch (e) {
    cache.unsubscribed();
    console.warn(`timeline cache off (no NOTIFY subscription): ${(e as Error).message}`);
  }
}

/**
 * Serves the app over node:http; resolves once listening. Cached timeline reads are answered
 * by the fast path in front of the app (same answers, a quarter of the CPU); all else by the app.
 */
export function listen(deps: AppDeps, port: number, host: string): Promise<{ server: ServerType; port: number; fastPath: TimelineFastPath | null }> {
  const app = createApp(deps);
  const toApp = getRequestListener(app.fetch, { hostname: host });
  const fastPath = deps.fastPath === false ? null : timelineFastPath(deps);
  const server = createServer(fastPath ? (req, res) => void (fastPath(req, res) || toApp(req, res)) : toApp);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({ server, port: (server.address() as { port: number }).port, fastPath });
    });
  });
}
