import { sql } from "drizzle-orm";
import type { Tx } from "../client.ts";

/** Serialises writers of one patient (ids never contain "/") until the transaction ends (both drivers support it). */
export async function lockPatient(tx: Tx, cohortId: string, patientId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${cohortId}/${patientId}`}, 0))`);
}
