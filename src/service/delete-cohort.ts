import { findCohort } from "../db/queries/cohorts.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockCohort } from "../db/queries/lock.ts";
import { countMeasurements, deleteCohortRows } from "../db/queries/removal.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/**
 * Deletes a cohort with all its patients and their data, in one transaction under the cohort's
 * exclusive lock. One audit entry stays under the cohort id: who, when, the name and counts.
 */
export async function deleteCohort({ ctx, cohortId }: { ctx: Ctx; cohortId: string }) {
  return withTransaction(ctx, async (tx) => {
    await lockCohort(tx, cohortId);
    const cohort = await findCohort(tx, cohortId);
    if (!cohort) throw notFound(`cohort ${cohortId}`);
    const counts = await countMeasurements(tx, cohortId);
    await deleteCohortRows(tx, cohortId);
    const at = nowIso(ctx);
    await appendAudit(tx, { cohortId, at, actor: ctx.actor, action: "cohort.delete", route: ctx.route ?? null, requestId: ctx.requestId ?? null, before: { name: cohort.name, ...counts }, after: null });
    return { cohortId, deletedAt: at, ...counts };
  });
}
