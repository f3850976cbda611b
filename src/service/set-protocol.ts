import { findCohort, updateCohort } from "../db/queries/cohorts.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { lockCohort } from "../db/queries/lock.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import { validateProtocol } from "./protocol.ts";
import { rederiveCohort } from "./rederive-cohort.ts";
import { canonicalJson } from "./study-write.ts";

/**
 * Replaces a cohort's RECIST protocol: a new protocol version (the old one stays in the audit
 * log) and every patient of the cohort re-derived, all in one transaction under the cohort's
 * exclusive lock, so a patient written meanwhile waits and is derived with the new protocol.
 */
export async function setProtocol({ ctx, cohortId, protocol }: { ctx: Ctx; cohortId: string; protocol: Record<string, unknown> }) {
  const validated = validateProtocol(protocol);
  return withTransaction(ctx, async (tx) => {
    // Before reading anything: waits for the cohort's writers under way, holds off new ones.
    await lockCohort(tx, cohortId);
    const cohort = await findCohort(tx, cohortId);
    if (!cohort) throw notFound(`cohort ${cohortId}`);
    if (canonicalJson(cohort.protocol) === canonicalJson(validated)) return { protocolVersion: cohort.protocolVersion, changed: false, patientsRederived: 0 };
    const at = nowIso(ctx);
    const protocolVersion = cohort.protocolVersion + 1;
    await updateCohort(tx, cohortId, { protocol: validated, protocolVersion, updatedAt: at });
    await appendAudit(tx, {
      cohortId, at, actor: ctx.actor, action: "cohort.protocol", route: ctx.route ?? null, requestId: ctx.requestId ?? null,
      before: { protocol: cohort.protocol, protocolVersion: cohort.protocolVersion },
      after: { protocol: validated, protocolVersion },
    });
    return { protocolVersion, changed: true, patientsRederived: await rederiveCohort({ ctx, tx, cohortId, at }) };
  });
}
