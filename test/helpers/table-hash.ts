import { sql } from "drizzle-orm";
import type { DbHandle } from "../../src/db/client.ts";
import { createDb } from "../../src/db/client.ts";
import type { Backend } from "./backends.ts";

const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

/** Every table of the app's schema (api_keys and audit_log included), found, not listed by hand. */
export async function appTables(handle: DbHandle): Promise<string[]> {
  const r = await handle.db.execute(sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
  return rowsOf<{ t: string }>(r).map((x) => x.t);
}

/**
 * A hash of each table's full contents (every row as text, sorted), in one query: two equal
 * snapshots mean no row was added, removed or changed anywhere.
 */
export async function tableHashes(handle: DbHandle, tables: readonly string[]): Promise<Record<string, string>> {
  const parts = tables.map((t) => sql`select ${t} as t, count(*)::int as n, md5(coalesce(string_agg(x::text, E'\n' order by x::text), '')) as h from ${sql.identifier(t)} x`);
  const r = await handle.db.execute(sql.join(parts, sql` union all `));
  return Object.fromEntries(rowsOf<{ t: string; n: number; h: string }>(r).map((x) => [x.t, `${x.n}:${x.h}`]));
}

/**
 * A database of its own for tests that compare whole tables: PGlite in memory, or a fresh
 * PostgreSQL database next to TEST_DATABASE_URL's (other test files write there concurrently).
 */
export async function isolatedBackend(backend: Backend, prefix: string): Promise<{ backend: Backend; drop(): Promise<void> }> {
  if (backend.name === "pglite") return { backend, drop: async () => {} };
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = await createDb(backend.target, { poolSize: 1 });
  await admin.db.execute(sql.raw(`create database "${name}"`));
  const url = new URL(backend.target);
  url.pathname = `/${name}`;
  return {
    backend: { name: "postgres", target: url.toString() },
    async drop() {
      await admin.db.execute(sql.raw(`drop database if exists "${name}" with (force)`));
      await admin.close();
    },
  };
}
