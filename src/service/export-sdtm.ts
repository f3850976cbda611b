import { and, asc, eq, gt } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { findCohort } from "../db/queries/cohorts.ts";
import { patients, patientTimelines } from "../db/schema/index.ts";
import type { RecistAnnotations } from "../domain/timeline/types.ts";
import { sdtmOfPatient, type SdtmRows, type TimelineForSdtm } from "../io/sdtm/map.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

const PAGE = 200;

/** Pages of (patient, stored timeline, RECIST inputs) of a cohort, inside the caller's transaction. */
export async function* storedTimelines(tx: Tx, cohortId: string) {
  let after = "";
  for (;;) {
    const rows = await tx
      .select({ patientId: patients.patientId, recistInputs: patients.recistInputs, revision: patientTimelines.revision, body: patientTimelines.body })
      .from(patients)
      .innerJoin(patientTimelines, and(eq(patientTimelines.cohortId, patients.cohortId), eq(patientTimelines.patientId, patients.patientId)))
      .where(and(eq(patients.cohortId, cohortId), gt(patients.patientId, after)))
      .orderBy(asc(patients.patientId))
      .limit(PAGE);
    for (const r of rows) yield r;
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.patientId;
  }
}

/**
 * CDISC SDTM TU, TR and RS of a cohort from the stored timelines, read in one read-only
 * repeatable-read transaction (one consistent snapshot), handed to `sink` patient by patient.
 */
export async function exportSdtm({ ctx, cohortId, sink }: { ctx: Ctx; cohortId: string; sink: (rows: SdtmRows) => Promise<void> }) {
  return ctx.db.transaction(
    async (tx) => {
      const cohort = await findCohort(tx, cohortId);
      if (!cohort) throw notFound(`cohort ${cohortId}`);
      const counts = { patients: 0, tu: 0, tr: 0, rs: 0 };
      for await (const r of storedTimelines(tx, cohortId)) {
        const rows = sdtmOfPatient(cohortId, { patientId: r.patientId, timeline: JSON.parse(r.body) as TimelineForSdtm, recistInputs: r.recistInputs as RecistAnnotations }, cohort.protocol);
        counts.patients++;
        counts.tu += rows.tu.length;
        counts.tr += rows.tr.length;
        counts.rs += rows.rs.length;
        await sink(rows);
      }
      return counts;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
