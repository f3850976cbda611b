import { and, eq, inArray } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/** The rows of some patients of one cohort, in any table keyed by (cohort_id, patient_id). */
export const ofPatients = (table: { cohortId: AnyPgColumn; patientId: AnyPgColumn }, cohortId: string, patientIds: readonly string[]) =>
  and(eq(table.cohortId, cohortId), inArray(table.patientId, [...patientIds]));
