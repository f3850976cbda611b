import { appendAudit } from "../db/queries/audit.ts";
import type { Scope } from "../auth/scopes.ts";
import { findApiKey, revokeApiKey } from "../db/queries/api-keys.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import { KEY_AUDIT_COHORT, type KeyCtx } from "./keys-audit.ts";

/**
 * Revokes a key (idempotent: the first revocation time is kept). This process forgets it at
 * once (ctx.forgetKey); other running servers stop accepting it within their key cache TTL
 * (API_KEY_CACHE_TTL_MS). `mayRevoke` lets the caller refuse a key by its scopes (as unknown).
 */
export async function revokeKey({ ctx, keyId, mayRevoke }: { ctx: KeyCtx; keyId: string; mayRevoke?: (scopes: readonly Scope[]) => boolean }) {
  const row = await withTransaction(ctx as Ctx, async (tx) => {
    const before = await findApiKey(tx, keyId);
    if (!before || (mayRevoke && !mayRevoke(before.scopes))) return undefined;
    const at = nowIso(ctx);
    const after = await revokeApiKey(tx, keyId, at);
    if (!before.revokedAt) {
      await appendAudit(tx, { cohortId: KEY_AUDIT_COHORT, at, actor: ctx.actor ?? "cli", action: "key.revoke", route: ctx.route ?? null, requestId: ctx.requestId ?? null, before: { keyId, name: before.name, scopes: before.scopes, revokedAt: null }, after: { revokedAt: after!.revokedAt } });
    }
    return after;
  });
  if (!row) throw notFound(`key ${keyId}`);
  ctx.forgetKey?.(keyId);
  return { keyId: row.keyId, name: row.name, revokedAt: new Date(row.revokedAt!).toISOString() };
}
