import { replaceApiKeyHash } from "../db/queries/api-keys.ts";
import { withTransaction, type Ctx } from "./context.ts";

/**
 * The data migration of API key hashes from argon2id to SHA-256: an old hash can only be
 * replaced when its secret is presented, so the authenticator calls this after a good use.
 * Returns false when the row no longer holds `from` (revoked and remade, or already upgraded).
 */
export async function upgradeKeyHash({ ctx, keyId, from, to }: { ctx: Pick<Ctx, "db" | "tx">; keyId: string; from: string; to: string }): Promise<boolean> {
  return withTransaction(ctx as Ctx, (tx) => replaceApiKeyHash(tx, keyId, from, to));
}
