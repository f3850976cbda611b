import { countActiveApiKeys, findApiKey } from "../db/queries/api-keys.ts";
import type { StoredKey } from "../auth/authenticate.ts";
import type { Ctx } from "./context.ts";

/** The stored key for authentication (hash, scopes, revocation), or undefined. */
export async function lookupKey({ ctx, keyId }: { ctx: Pick<Ctx, "db">; keyId: string }): Promise<StoredKey | undefined> {
  const row = await findApiKey(ctx.db, keyId);
  return row && { keyId: row.keyId, name: row.name, secretHash: row.secretHash, scopes: row.scopes, revokedAt: row.revokedAt };
}

/** How many keys can still be used (the demo makes an admin key when there are none). */
export async function countActiveKeys({ ctx }: { ctx: Pick<Ctx, "db"> }): Promise<number> {
  return countActiveApiKeys(ctx.db);
}
