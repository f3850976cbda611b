import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { createApp } from "../../src/api/app.ts";
import type { AppDeps } from "../../src/api/env.ts";
import { createDb, type DbHandle } from "../../src/db/client.ts";
import { migrateDb } from "../../src/db/migrate.ts";
import { loadPredictor } from "../../src/forecast/load.ts";
import { keyAdmin } from "../../src/service/keys.ts";
import type { Backend } from "./backends.ts";

export const FIXED_NOW = new Date("2026-01-15T12:00:00Z");

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  handle: DbHandle;
  close(): Promise<void>;
}

/** The real app on a real, migrated database, with the real growth predictor and a fixed clock. */
export async function createTestApp(backend: Backend, overrides: Partial<AppDeps> = {}): Promise<TestApp> {
  const handle = await createDb(backend.target, { poolSize: 4 });
  await migrateDb(handle);
  const deps: AppDeps = {
    db: handle.db,
    clock: { now: () => FIXED_NOW },
    predictor: await loadPredictor(),
    config: { bodyLimitBytes: 256 * 1024, corsOrigins: [] },
    keys: keyAdmin,
    ...overrides,
  };
  return { app: createApp(deps), deps, handle, close: () => handle.close() };
}

export const uniqueId = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

const COHORT_TABLES = ["forecast_records", "audit_log", "track_links", "tracks", "link_corrections", "patient_timelines", "observations", "studies", "patients", "cohorts"];

/** Removes one test's cohort and everything under it (tests never wipe tables globally). */
export async function dropCohort(handle: DbHandle, cohortId: string): Promise<void> {
  await handle.db.transaction(async (tx) => {
    for (const table of COHORT_TABLES) await tx.execute(sql`delete from ${sql.identifier(table)} where cohort_id = ${cohortId}`);
  });
}

/** JSON request helper for app.request(). */
export function send(app: TestApp["app"], method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return app.request(path, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
}

/** Counts rows of a cohort in every table: compare before and after a failed write. */
export async function snapshotCohort(handle: DbHandle, cohortId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of COHORT_TABLES) {
    const r = await handle.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where cohort_id = ${cohortId}`);
    const rows = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as { n: number }[];
    out[table] = Number(rows[0]?.n ?? 0);
  }
  const rev = await handle.db.execute(sql`select coalesce(sum(revision), 0)::int as n from patients where cohort_id = ${cohortId}`);
  out.revisions = Number(((Array.isArray(rev) ? rev : (rev as { rows: unknown[] }).rows) as { n: number }[])[0]?.n ?? 0);
  return out;
}
