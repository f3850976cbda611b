import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** API keys: only a slow hash is stored; scopes are per cohort (read, write, admin). */
export const apiKeys = pgTable("api_keys", {
  keyId: text("key_id").primaryKey(),
  name: text("name").notNull(),
  secretHash: text("secret_hash").notNull(),
  scopes: jsonb("scopes").$type<{ cohortId: string; role: "read" | "write" | "admin" }[]>().notNull(),
  createdAt: timestamp("created_at", { withTimezone: true, mode: "string" }).notNull(),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "string" }),
});
