import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** Either driver: queries are written once against the common PostgreSQL dialect. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface DbHandle {
  db: Db;
  kind: "postgres" | "pglite";
  /** Where the data lives, without credentials (for logs). */
  description: string;
  close(): Promise<void>;
}

/**
 * Opens the database named by `target`: a postgres:// URL (postgres.js), "memory"
 * (in-memory PGlite) or a folder path (PGlite on disk).
 */
export async function createDb(target: string, options: { poolSize?: number } = {}): Promise<DbHandle> {
  if (/^postgres(ql)?:\/\//.test(target)) {
    const client = postgres(target, { max: options.poolSize ?? 10, onnotice: () => {}, prepare: true });
    const url = new URL(target);
    return {
      db: drizzlePostgres(client, { schema }) as unknown as Db,
      kind: "postgres",
      description: `postgres://${url.host}${url.pathname}`,
      close: () => client.end({ timeout: 5 }),
    };
  }
  const inMemory = target === "memory" || target === ":memory:";
  if (!inMemory) mkdirSync(target, { recursive: true });
  const client = inMemory ? new PGlite() : new PGlite(target);
  await client.waitReady;
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: "pglite",
    description: inMemory ? "pglite (in memory)" : `pglite (${target})`,
    close: () => client.close(),
  };
}
