import { doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** Derived: one physical lesion across studies (rewritten whenever the patient is re-derived). */
export const tracks = pgTable(
  "tracks",
  {
    cohortId: text("cohort_id").notNull(),
    patientId: text("patient_id").notNull(),
    trackId: text("track_id").notNull(),
    label: text("label").notNull(),
    observationIds: jsonb("observation_ids").$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.patientId, t.trackId] })],
);

/** Derived links between consecutive observations of a track, with who made them. */
export const trackLinks = pgTable(
  "track_links",
  {
    cohortId: text("cohort_id").notNull(),
    patientId: text("patient_id").notNull(),
    fromObservationId: text("from_observation_id").notNull(),
    toObservationId: text("to_observation_id").notNull(),
    cost: doublePrecision("cost").notNull(),
    confidence: doublePrecision("confidence").notNull(),
    source: text("source").notNull(),
  },
  (t) => [primaryKey({ columns: [t.cohortId, t.patientId, t.fromObservationId, t.toObservationId] })],
);

/** People's corrections: confirmed (must) and forbidden (cannot) links. Never touched by the matcher. */
export const linkCorrections = pgTable(
  "link_corrections",
  {
    cohortId: text("cohort_id").notNull(),
    patientId: text("patient_id").notNull(),
    correctionId: integer("correction_id").notNull(),
    kind: text("kind").$type<"must" | "cannot">().notNull(),
    fromObservationId: text("from_observation_id").notNull(),
    toObservationId: text("to_observation_id").notNull(),
    actor: text("actor").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.cohortId, t.patientId, t.correctionId] }),
    index("link_corrections_obs_idx").on(t.cohortId, t.patientId, t.toObservationId),
  ],
);
