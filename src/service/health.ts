import { sql } from "drizzle-orm";
import type { ServiceDeps } from "./context.ts";

/** Liveness with a real database round trip, and which growth model forecasts come from. */
export async function checkHealth(deps: ServiceDeps) {
  const t0 = performance.now();
  await deps.db.execute(sql`select 1`);
  return {
    status: "ok" as const,
    database: { roundTripMs: Math.round((performance.now() - t0) * 100) / 100 },
    model: { kind: deps.predictor.kind, version: deps.predictor.version },
  };
}
