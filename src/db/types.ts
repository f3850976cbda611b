import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.ts";

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
  /** Embedded PGlite on disk only: the lock this process holds on the folder. */
  folderLock?: { announce(url: string): void };
  /**
   * Subscribes to a NOTIFY channel (delivered after the notifying transaction commits).
   * `onListening` runs whenever the subscription is (re)established: messages may have been
   * missed before it. Resolves to an unsubscribe function.
   */
  listen(channel: string, onMessage: (payload: string) => void, onListening: () => void): Promise<() => Promise<void>>;
}
