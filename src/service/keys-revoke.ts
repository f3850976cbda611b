import { revokeApiKey } from "../db/queries/api-keys.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/**
 * Revokes a key (idempotent: the first revocation time is kept). Running servers stop
 * accepting it within their key cache TTL (API_KEY_CACHE_TTL_MS).
 */
export async function revokeKey({ ctx, keyId }: { ctx: Pick<Ctx, "db" | "clock" | "tx">; keyId: string }) {
  const row = await withTransaction(ctx as Ctx, (tx) => revokeApiKey(tx, keyId, nowIso(ctx)));
  if (!row) throw notFound(`key ${keyId}`);
  return { keyId: row.keyId, name: row.name, revokedAt: row.revokedAt! };
}
