import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { cohorts } from "./cohorts.ts";

/** A subject of one cohort. `revision` grows with every write and names the timeline's ETag. */
export const patients = pgTable(
  "patients",
  {
    cohortId: text("cohort_id").notNull().references(() => cohorts.cohortId, { onDelete: "cascade" }),
    patientId: text("patient_id").notNull(),
    sex: text("sex"),
    birthYear: integer("birth_year"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    /** Treatment start / randomisation: the anchor of RECIST sdMinDays. */
    referenceDate: text("reference_date"),
    /** People's RECIST inputs: baseline designations and per-study flags. */
    recistInputs: jsonb("recist_inputs").$type<Record<string, unknown>>().notNull().default({}),
    revision: integer("revision").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.patientId] })],
);

/** The derived timeline document, stored as the exact bytes a GET returns (reads never recompute). */
export const patientTimelines = pgTable(
  "patient_timelines",
  {
    cohortId: text("cohort_id").notNull(),
    patientId: text("patient_id").notNull(),
    revision: integer("revision").notNull(),
    body: text("body").notNull(),
    /** Small cohort-view summary (percent changes, best response) for spider/waterfall/swimmer. */
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
    computedAt: timestamp("computed_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.patientId] }),
    index("patient_timelines_cohort_idx").on(t.cohortId),
  ],
);
