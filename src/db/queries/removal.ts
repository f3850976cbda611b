import { sql } from "drizzle-orm";
import type { Tx } from "../client.ts";

/** A patient's rows, children before parents (foreign keys); audit_log is handled by the caller. */
const PATIENT_TABLES = ["track_links", "tracks", "link_corrections", "patient_timelines", "observations", "studies", "patients"] as const;

const countOf = (r: unknown): number => Number(((Array.isArray(r) ? r : (r as { rows: unknown[] }).rows)[0] as { n: number | string }).n);

/** How many studies and observations a patient (or, without patientId, a cohort) holds. */
export async function countMeasurements(tx: Tx, cohortId: string, patientId?: string): Promise<{ patients: number; studies: number; observations: number }> {
  const of = patientId === undefined ? sql`cohort_id = ${cohortId}` : sql`cohort_id = ${cohortId} and patient_id = ${patientId}`;
  const [p, s, o] = await Promise.all([
    tx.execute(sql`select count(*)::int as n from patients where ${of}`),
    tx.execute(sql`select count(*)::int as n from studies where ${of}`),
    tx.execute(sql`select count(*)::int as n from observations where ${of}`),
  ]);
  return { patients: countOf(p), studies: countOf(s), observations: countOf(o) };
}

/** Deletes everything stored of one patient, its earlier audit entries too (they hold its measurements). */
export async function deletePatientRows(tx: Tx, cohortId: string, patientId: string): Promise<void> {
  for (const table of PATIENT_TABLES) await tx.execute(sql`delete from ${sql.identifier(table)} where cohort_id = ${cohortId} and patient_id = ${patientId}`);
  await tx.execute(sql`delete from audit_log where cohort_id = ${cohortId} and patient_id = ${patientId}`);
}

/** Deletes a cohort and everything under it, its audit entries included. */
export async function deleteCohortRows(tx: Tx, cohortId: string): Promise<void> {
  for (const table of [...PATIENT_TABLES, "audit_log", "cohorts"]) await tx.execute(sql`delete from ${sql.identifier(table)} where cohort_id = ${cohortId}`);
}

/** Studies placed by order index sit at index x scan interval: a new interval moves them. */
export async function retimeOrderedStudies(tx: Tx, cohortId: string, scanIntervalDays: number): Promise<void> {
  await tx.execute(sql`update studies set time_days = order_index * ${scanIntervalDays} where cohort_id = ${cohortId} and time_axis = 'order'`);
}
