import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.ts";
import type { Db, DbHandle } from "./types.ts";

/** PostgreSQL through postgres.js (Node, and Workers through Hyperdrive). */
export function createPostgresDb(url: string, options: { poolSize?: number } = {}): DbHandle {
  const client = postgres(url, { max: options.poolSize ?? 10, onnotice: () => {}, prepare: true });
  const parsed = new URL(url);
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: "postgres",
    description: `postgres://${parsed.host}${parsed.pathname}`,
    close: () => client.end({ timeout: 5 }),
    listen: async (channel, onMessage, onListening) => {
      const sub = await client.listen(channel, onMessage, onListening);
      return () => sub.unlisten();
    },
  };
}
