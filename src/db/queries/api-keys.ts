import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "../client.ts";
import { apiKeys } from "../schema/index.ts";

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function insertApiKey(tx: Db | Tx, row: typeof apiKeys.$inferInsert): Promise<void> {
  await tx.insert(apiKeys).values(row);
}

/** One primary-key read: what every authenticated request costs at most once per cache TTL. */
export async function findApiKey(db: Db | Tx, keyId: string): Promise<ApiKeyRow | undefined> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.keyId, keyId)).limit(1);
  return rows[0];
}

export async function listApiKeys(db: Db | Tx): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.keyId));
}

export async function countActiveApiKeys(db: Db | Tx): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(apiKeys).where(sql`${apiKeys.revokedAt} is null`);
  return Number(rows[0]?.n ?? 0);
}

/** Marks a key revoked (kept for the record); returns the row, or undefined when unknown. */
export async function revokeApiKey(tx: Db | Tx, keyId: string, at: string): Promise<ApiKeyRow | undefined> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${at}::timestamptz)` })
    .where(eq(apiKeys.keyId, keyId))
    .returning();
  return rows[0];
}

/** Swaps a key's stored hash, only if it still holds `from` (a concurrent rotation wins); true when swapped. */
export async function replaceApiKeyHash(tx: Db | Tx, keyId: string, from: string, to: string): Promise<boolean> {
  const rows = await tx.update(apiKeys).set({ secretHash: to }).where(and(eq(apiKeys.keyId, keyId), eq(apiKeys.secretHash, from))).returning({ keyId: apiKeys.keyId });
  return rows.length > 0;
}
