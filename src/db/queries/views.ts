import { and, asc, eq, gt, sql } from "drizzle-orm";
import { cohorts, patientTimelines } from "../schema/index.ts";
import type { Db, Tx } from "../client.ts";

export interface CohortSummaryRow {
  /** Null when the cohort exists but no patient has a stored timeline yet. */
  patientId: string | null;
  summary: Record<string, unknown> | null;
  protocol: Record<string, unknown>;
  settings: Record<string, unknown>;
}

/**
 * Every stored per-patient summary of one cohort, with the cohort's protocol, in one query
 * (a left join from the cohort, so an unknown cohort gives no rows and an empty one a single
 * row with a null patient). Reads only patient_timelines.summary, never the timeline bodies.
 */
export async function readCohortSummaries(db: Db | Tx, cohortId: string): Promise<CohortSummaryRow[]> {
  return db
    .select({ patientId: patientTimelines.patientId, summary: patientTimelines.summary, protocol: cohorts.protocol, settings: cohorts.settings })
    .from(cohorts)
    .leftJoin(patientTimelines, and(eq(patientTimelines.cohortId, cohorts.cohortId), sql`coalesce((${patientTimelines.summary}->>'studyCount')::int, 0) > 0`))
    .where(eq(cohorts.cohortId, cohortId))
    .orderBy(asc(patientTimelines.patientId));
}

/** One page of a cohort's stored timeline bodies in patient order, after `afterPatientId` (keyset paging). */
export async function readTimelineBodies(db: Db | Tx, cohortId: string, afterPatientId: string | null, pageSize: number): Promise<{ patientId: string; body: string }[]> {
  return db
    .select({ patientId: patientTimelines.patientId, body: patientTimelines.body })
    .from(patientTimelines)
    .where(and(eq(patientTimelines.cohortId, cohortId), afterPatientId === null ? undefined : gt(patientTimelines.patientId, afterPatientId)))
    .orderBy(asc(patientTimelines.patientId))
    .limit(pageSize);
}
