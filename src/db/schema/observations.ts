import { boolean, doublePrecision, foreignKey, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { studies } from "./studies.ts";

/** One lesion as measured in one study (the canonical measurement; everything else derives from it). */
export const observations = pgTable(
  "observations",
  {
    cohortId: text("cohort_id").notNull(),
    patientId: text("patient_id").notNull(),
    studyKey: text("study_key").notNull(),
    /** Unique within the patient: `${studyKey}/${index}` unless the client names it. */
    observationId: text("observation_id").notNull(),
    ordinal: integer("ordinal").notNull(),
    positionMm: jsonb("position_mm").$type<[number, number, number] | null>(),
    positionNormalized: jsonb("position_normalized").$type<[number, number, number] | null>(),
    longAxisMm: doublePrecision("long_axis_mm").notNull(),
    shortAxisMm: doublePrecision("short_axis_mm").notNull(),
    organ: text("organ"),
    lesionType: text("lesion_type"),
    nodal: boolean("nodal").notNull().default(false),
    embedding: jsonb("embedding").$type<number[] | null>(),
    source: jsonb("source").$type<Record<string, unknown> | null>(),
    noisy: boolean("noisy").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.patientId, t.observationId] }),
    foreignKey({
      columns: [t.cohortId, t.patientId, t.studyKey],
      foreignColumns: [studies.cohortId, studies.patientId, studies.studyKey],
    }).onDelete("cascade"),
  ],
);
