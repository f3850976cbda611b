import { bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Append-only: who changed what, when, through which route, with before/after. */
export const auditLog = pgTable(
  "audit_log",
  {
    cohortId: text("cohort_id").notNull(),
    auditId: bigserial("audit_id", { mode: "number" }).notNull(),
    patientId: text("patient_id"),
    at: timestamp("at", { withTimezone: true, mode: "string" }).notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    route: text("route"),
    requestId: text("request_id"),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.auditId] }),
    index("audit_log_patient_idx").on(t.cohortId, t.patientId, t.auditId),
  ],
);
