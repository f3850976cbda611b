import { insertCohort } from "../db/queries/cohorts.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { AppError } from "./errors.ts";
import type { CohortInput } from "./inputs/study.ts";
import { validateProtocol } from "./protocol.ts";

/** Creates a cohort with its RECIST protocol and settings; an existing id is a conflict. */
export async function createCohort({ ctx, input }: { ctx: Ctx; input: CohortInput }) {
  const protocol = validateProtocol(input.protocol);
  const cohortId = input.cohortId ?? crypto.randomUUID();
  const at = nowIso(ctx);
  return withTransaction(ctx, async (tx) => {
    const row = { cohortId, name: input.name, description: input.description ?? null, protocol, protocolVersion: 1, settings: input.settings, createdAt: at, updatedAt: at };
    if (!(await insertCohort(tx, row))) throw new AppError("conflict", `cohort ${cohortId} already exists`, [{ path: "cohortId", message: "already exists" }]);
    await appendAudit(tx, { cohortId, at, actor: ctx.actor, action: "cohort.create", route: ctx.route ?? null, requestId: ctx.requestId ?? null, after: row });
    return row;
  });
}
