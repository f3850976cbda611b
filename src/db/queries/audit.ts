import { and, desc, eq, isNull, lt } from "drizzle-orm";
import type { Db, Tx } from "../client.ts";
import { auditLog } from "../schema/index.ts";

export interface AuditEntry {
  cohortId: string;
  patientId?: string | null;
  at: string;
  actor: string;
  action: string;
  route?: string | null;
  requestId?: string | null;
  before?: unknown;
  after?: unknown;
}

const auditRow = (e: AuditEntry) => ({
  cohortId: e.cohortId,
  patientId: e.patientId ?? null,
  at: e.at,
  actor: e.actor,
  action: e.action,
  route: e.route ?? null,
  requestId: e.requestId ?? null,
  before: e.before ?? null,
  after: e.after ?? null,
});

/** Appends one entry; the table is never updated or deleted from. */
export async function appendAudit(tx: Tx, e: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(auditRow(e));
}

/** Entries per statement: 9 parameters each, well under PostgreSQL's 65,535 a statement. */
const AUDIT_CHUNK = 2000;

/** Appends several entries in as few statements as the parameter limit allows (bulk ingest). */
export async function appendAuditMany(tx: Tx, entries: AuditEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += AUDIT_CHUNK) await tx.insert(auditLog).values(entries.slice(i, i + AUDIT_CHUNK).map(auditRow));
}

/** Newest first, keyset-paginated by audit id; patientId null = the entries of no patient (cohort or key events). */
export async function listAudit(db: Db | Tx, cohortId: string, patientId: string | null, limit: number, beforeId?: number) {
  const ofPatient = patientId === null ? isNull(auditLog.patientId) : eq(auditLog.patientId, patientId);
  const where = beforeId ? and(eq(auditLog.cohortId, cohortId), ofPatient, lt(auditLog.auditId, beforeId)) : and(eq(auditLog.cohortId, cohortId), ofPatient);
  return db.select().from(auditLog).where(where).orderBy(desc(auditLog.auditId)).limit(limit);
}
