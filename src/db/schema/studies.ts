import { doublePrecision, integer, pgTable, primaryKey, text, timestamp, foreignKey } from "drizzle-orm/pg-core";
import { patients } from "./patients.ts";

/** One imaging time point of a patient. */
export const studies = pgTable(
  "studies",
  {
    cohortId: text("cohort_id").notNull(),
    patientId: text("patient_id").notNull(),
    studyKey: text("study_key").notNull(),
    date: text("date"),
    dayOffset: doublePrecision("day_offset"),
    orderIndex: integer("order_index"),
    ageYears: doublePrecision("age_years"),
    /** Position of the study on the patient's day axis, and which input it came from. */
    timeDays: doublePrecision("time_days").notNull(),
    timeAxis: text("time_axis").notNull(),
    modality: text("modality").notNull(),
    sliceThicknessMm: doublePrecision("slice_thickness_mm"),
    /** Hash of the canonical request body: the same body twice changes nothing. */
    bodyHash: text("body_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.patientId, t.studyKey] }),
    foreignKey({ columns: [t.cohortId, t.patientId], foreignColumns: [patients.cohortId, patients.patientId] }).onDelete("cascade"),
  ],
);
