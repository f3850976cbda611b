import { sql } from "drizzle-orm";
import type { Tx } from "../client.ts";

/**
 * Advisory lock keys: a cohort's id, and `cohort/patient` for a patient (ids never contain "/",
 * so the two kinds never meet). Every writer of a patient holds its cohort's lock SHARED, taken
 * before the patient's; a change to the whole cohort (its protocol) takes the cohort's lock
 * EXCLUSIVE, so it waits for the writers under way and no new one starts until it commits,
 * without holding one lock per patient (which would exhaust the lock table on large cohorts).
 */
const patientKey = (cohortId: string, patientId: string) => `${cohortId}/${patientId}`;

/** Serialises writers of one patient until the transaction ends (both drivers support it). */
export async function lockPatient(tx: Tx, cohortId: string, patientId: string): Promise<void> {
  // One statement; its two calls run in order (cohort shared, then patient).
  await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtextextended(${cohortId}, 0)), pg_advisory_xact_lock(hashtextextended(${patientKey(cohortId, patientId)}, 0))`);
}

/**
 * lockPatient for several patients: the cohort's shared lock, then the patients' locks in one
 * statement in one sorted order, so two batches sharing patients wait for each other instead of
 * deadlocking.
 */
export async function lockPatients(tx: Tx, cohortId: string, patientIds: readonly string[]): Promise<void> {
  if (patientIds.length <= 1) {
    if (patientIds[0] !== undefined) await lockPatient(tx, cohortId, patientIds[0]);
    return;
  }
  await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtextextended(${cohortId}, 0))`);
  const keys = JSON.stringify(patientIds.map((id) => patientKey(cohortId, id)));
  await tx.execute(sql`select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from (select k from jsonb_array_elements_text(${keys}::jsonb) as k order by k) as sorted`);
}

/** Excludes every writer of the cohort's patients until the transaction ends (see above). */
export async function lockCohort(tx: Tx, cohortId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${cohortId}, 0))`);
}
