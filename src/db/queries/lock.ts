import { sql } from "drizzle-orm";
import type { Tx } from "../client.ts";

const lockKey = (cohortId: string, patientId: string) => `${cohortId}/${patientId}`;

/** Serialises writers of one patient (ids never contain "/") until the transaction ends (both drivers support it). */
export async function lockPatient(tx: Tx, cohortId: string, patientId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${lockKey(cohortId, patientId)}, 0))`);
}

/**
 * lockPatient for several patients in one statement. The locks are taken in one sorted order,
 * so two batches sharing patients wait for each other instead of deadlocking.
 */
export async function lockPatients(tx: Tx, cohortId: string, patientIds: readonly string[]): Promise<void> {
  if (patientIds.length <= 1) {
    if (patientIds[0] !== undefined) await lockPatient(tx, cohortId, patientIds[0]);
    return;
  }
  const keys = JSON.stringify(patientIds.map((id) => lockKey(cohortId, id)));
  await tx.execute(sql`select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from (select k from jsonb_array_elements_text(${keys}::jsonb) as k order by k) as sorted`);
}
