import { findCohort, listCohorts } from "../db/queries/cohorts.ts";
import { listPatients } from "../db/queries/patients.ts";
import type { Ctx } from "./context.ts";
import { invalid, notFound } from "./errors.ts";
import { identifier } from "./inputs/study.ts";

const publicCohort = (row: NonNullable<Awaited<ReturnType<typeof findCohort>>>) => ({
  cohortId: row.cohortId,
  name: row.name,
  description: row.description,
  protocol: row.protocol,
  protocolVersion: row.protocolVersion,
  settings: row.settings,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function getCohort({ ctx, cohortId }: { ctx: Ctx; cohortId: string }) {
  const row = await findCohort(ctx.db, cohortId);
  if (!row) throw notFound(`cohort ${cohortId}`);
  return publicCohort(row);
}

export async function getCohorts({ ctx, visible }: { ctx: Ctx; visible?: (cohortId: string) => boolean }) {
  const rows = await listCohorts(ctx.db);
  return rows.filter((r) => !visible || visible(r.cohortId)).map(publicCohort);
}

const encodeCursor = (patientId: string): string => Buffer.from(patientId, "utf8").toString("base64url");
function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  // A cursor holds a patient id: anything else (even valid base64url) was not made here.
  if (encodeCursor(text) !== cursor || !identifier.safeParse(text).success) throw invalid("cursor", "not a cursor returned by this endpoint");
  return text;
}

/** Keyset pagination by patient id: stable under concurrent inserts, O(limit) per page. */
export async function getPatientsPage({ ctx, cohortId, limit, cursor }: { ctx: Ctx; cohortId: string; limit: number; cursor?: string | undefined }) {
  if (!(await findCohort(ctx.db, cohortId))) throw notFound(`cohort ${cohortId}`);
  const after = cursor ? decodeCursor(cursor) : undefined;
  const rows = await listPatients(ctx.db, cohortId, limit + 1, after);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      patientId: r.patientId,
      sex: r.sex,
      birthYear: r.birthYear,
      revision: r.revision,
      updatedAt: r.updatedAt,
      studyCount: (r.summary as { studyCount?: number } | null)?.studyCount ?? 0,
      bestOverallResponse: (r.summary as { bestOverallResponse?: unknown } | null)?.bestOverallResponse ?? null,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.patientId) : null,
  };
}
