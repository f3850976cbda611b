import { eq } from "drizzle-orm";
import type { Db, Tx } from "../client.ts";
import { cohorts } from "../schema/index.ts";
import type { CohortSettings } from "../../domain/timeline/types.ts";

export type CohortRow = typeof cohorts.$inferSelect;

export async function findCohort(db: Db | Tx, cohortId: string): Promise<CohortRow | undefined> {
  const rows = await db.select().from(cohorts).where(eq(cohorts.cohortId, cohortId)).limit(1);
  return rows[0];
}

export async function insertCohort(tx: Tx, row: typeof cohorts.$inferInsert): Promise<boolean> {
  const inserted = await tx.insert(cohorts).values(row).onConflictDoNothing().returning({ id: cohorts.cohortId });
  return inserted.length === 1;
}

export async function updateCohort(tx: Tx, cohortId: string, patch: Partial<typeof cohorts.$inferInsert>): Promise<void> {
  await tx.update(cohorts).set(patch).where(eq(cohorts.cohortId, cohortId));
}

export async function listCohorts(db: Db | Tx): Promise<CohortRow[]> {
  return db.select().from(cohorts).orderBy(cohorts.cohortId);
}

/** The cohort's settings in the domain's shape, defaults filled in. */
export function cohortSettingsOf(row: CohortRow): CohortSettings {
  const s = row.settings as { scanIntervalDays?: number; forecastHorizonsDays?: number[]; bodySizeMm?: [number, number, number]; annotations?: "complete" | "partial" };
  return {
    protocol: row.protocol,
    protocolVersion: row.protocolVersion,
    scanIntervalDays: s.scanIntervalDays ?? 56,
    ...(s.forecastHorizonsDays ? { forecastHorizonsDays: s.forecastHorizonsDays } : {}),
    bodySizeMm: s.bodySizeMm ?? [350, 300, 900],
    ...(s.annotations === "partial" ? { annotations: "partial" as const } : {}),
  };
}
