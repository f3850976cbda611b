import { integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A trial or research dataset: the unit of access control and of protocol settings. */
export const cohorts = pgTable("cohorts", {
  cohortId: text("cohort_id").primaryKey(),
  name: text("name").notNull(),
  description: text("description"),
  /** RECIST protocol parameters (overrides of recist.md §2 defaults). */
  protocol: jsonb("protocol").$type<Record<string, unknown>>().notNull().default({}),
  protocolVersion: integer("protocol_version").notNull().default(1),
  /** Cohort settings: scan interval for forecast horizons, body size for normalised positions. */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "string" }).notNull(),
});
