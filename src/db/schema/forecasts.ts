import { boolean, doublePrecision, foreignKey, index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { patients } from "./patients.ts";

/**
 * Every forecast issued for a track or the sum of diameters (at the patient's latest study),
 * kept after newer studies replace the timeline, and scored when its target scan arrives:
 * the `step`-th study after the origin. Score columns stay null until then.
 */
export const forecastRecords = pgTable(
  "forecast_records",
  {
    cohortId: text("cohort_id").notNull(),
    patientId: text("patient_id").notNull(),
    /** "track:<trackId>" or "sum:<basis>". */
    subject: text("subject").notNull(),
    originStudyKey: text("origin_study_key").notNull(),
    /** 1 = the next scan after the origin, 2 = the one after it. */
    step: integer("step").notNull(),
    horizonDays: doublePrecision("horizon_days").notNull(),
    lastMm: doublePrecision("last_mm").notNull(),
    nadirMm: doublePrecision("nadir_mm").notNull(),
    predMm: doublePrecision("pred_mm").notNull(),
    q10Mm: doublePrecision("q10_mm").notNull(),
    q90Mm: doublePrecision("q90_mm").notNull(),
    pProgression: doublePrecision("p_progression").notNull(),
    modelVersion: text("model_version").notNull(),
    /** "population", "cohort" or "none" (single-scan fallback), and the interval scale it applied. */
    calibration: text("calibration").notNull(),
    intervalScale: doublePrecision("interval_scale").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    targetStudyKey: text("target_study_key"),
    actualMm: doublePrecision("actual_mm"),
    absErrorMm: doublePrecision("abs_error_mm"),
    locfAbsErrorMm: doublePrecision("locf_abs_error_mm"),
    inside: boolean("inside"),
    progressed: boolean("progressed"),
    scoredAt: timestamp("scored_at", { withTimezone: true, mode: "string" }),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.patientId, t.subject, t.originStudyKey, t.step] }),
    foreignKey({ columns: [t.cohortId, t.patientId], foreignColumns: [patients.cohortId, patients.patientId] }).onDelete("cascade"),
    index("forecast_records_scored_idx").on(t.cohortId, t.scoredAt),
  ],
);
