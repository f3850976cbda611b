import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import * as schema from "./schema/index.ts";
import { createPostgresDb } from "./postgres.ts";
import type { Db, DbHandle } from "./types.ts";

export type { Db, DbHandle, Schema, Tx } from "./types.ts";

/**
 * Opens the database named by `target`: a postgres:// URL (postgres.js), "memory"
 * (in-memory PGlite) or a folder path (PGlite on disk).
 */
export async function createDb(target: string, options: { poolSize?: number } = {}): Promise<DbHandle> {
  if (/^postgres(ql)?:\/\//.test(target)) return createPostgresDb(target, options);
  const inMemory = target === "memory" || target === ":memory:";
  if (!inMemory) mkdirSync(target, { recursive: true });
  const client = inMemory ? new PGlite() : new PGlite(target);
  await client.waitReady;
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: "pglite",
    description: inMemory ? "pglite (in memory)" : `pglite (${target})`,
    close: () => client.close(),
    listen: async (channel, onMessage, onListening) => {
      const unsubscribe = await client.listen(channel, onMessage);
      onListening();
      return unsubscribe;
    },
  };
}
