import { findCohort, updateCohort } from "../db/queries/cohorts.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockCohort } from "../db/queries/lock.ts";
import { retimeOrderedStudies } from "../db/queries/removal.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import { cohortSettings } from "./inputs/study.ts";
import { rederiveCohort } from "./rederive-cohort.ts";
import { canonicalJson } from "./study-write.ts";
import type { z } from "zod";

export interface CohortPatch { name?: string | undefined; description?: string | null | undefined; settings?: Partial<z.input<typeof cohortSettings>> | undefined }

/**
 * Changes a cohort's name, description or settings. New settings (scan interval, body size,
 * forecast horizons) re-derive every patient in the same transaction under the cohort's lock.
 */
export async function patchCohort({ ctx, cohortId, patch }: { ctx: Ctx; cohortId: string; patch: CohortPatch }) {
  return withTransaction(ctx, async (tx) => {
    await lockCohort(tx, cohortId);
    const cohort = await findCohort(tx, cohortId);
    if (!cohort) throw notFound(`cohort ${cohortId}`);
    const settings = patch.settings ? cohortSettings.parse({ ...(cohort.settings as object), ...patch.settings }) : cohort.settings;
    const next = { name: patch.name ?? cohort.name, description: patch.description === undefined ? cohort.description : patch.description, settings };
    const settingsChanged = canonicalJson(settings) !== canonicalJson(cohort.settings);
    if (!settingsChanged && next.name === cohort.name && next.description === cohort.description) return { changed: false, patientsRederived: 0 };
    const at = nowIso(ctx);
    await updateCohort(tx, cohortId, { ...next, updatedAt: at });
    await appendAudit(tx, {
      cohortId, at, actor: ctx.actor, action: "cohort.update", route: ctx.route ?? null, requestId: ctx.requestId ?? null,
      before: { name: cohort.name, description: cohort.description, settings: cohort.settings }, after: next,
    });
    if (!settingsChanged) return { changed: true, patientsRederived: 0 };
    await retimeOrderedStudies(tx, cohortId, (settings as { scanIntervalDays: number }).scanIntervalDays);
    return { changed: true, patientsRederived: await rederiveCohort({ ctx, tx, cohortId, at }) };
  });
}
