import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import * as schema from "./schema/index.ts";
import { createPostgresDb } from "./postgres.ts";
import { lockFolder } from "./folder-lock.ts";
import type { Db, DbHandle } from "./types.ts";

export type { Db, DbHandle, Schema, Tx } from "./types.ts";

const commandLine = () => `lesiontrack ${process.argv.slice(2).join(" ")}`.slice(0, 160).trim();

/**
 * Opens the database named by `target`: a postgres:// URL (postgres.js), "memory"
 * (in-memory PGlite) or a folder path (PGlite on disk, held by this process alone:
 * a second process gets FolderInUseError instead of a torn folder).
 */
export async function createDb(target: string, options: { poolSize?: number } = {}): Promise<DbHandle> {
  if (/^postgres(ql)?:\/\//.test(target)) return createPostgresDb(target, options);
  const inMemory = target === "memory" || target === ":memory:";
  if (inMemory) return pgliteHandle(new PGlite(), "pglite (in memory)", null);
  mkdirSync(target, { recursive: true });
  let client: PGlite | null = null;
  const lock = lockFolder(target, commandLine(), async () => client?.close());
  try {
    client = new PGlite(target);
    return await pgliteHandle(client, `pglite (${target})`, lock);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function pgliteHandle(client: PGlite, description: string, lock: ReturnType<typeof lockFolder> | null): Promise<DbHandle> {
  await client.waitReady;
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: "pglite",
    description,
    close: async () => {
      if (!client.closed) await client.close();
      lock?.release();
    },
    ...(lock ? { folderLock: lock } : {}),
    listen: async (channel, onMessage, onListening) => {
      const unsubscribe = await client.listen(channel, onMessage);
      onListening();
      return unsubscribe;
    },
  };
}
