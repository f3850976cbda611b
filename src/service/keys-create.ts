import { insertApiKey } from "../db/queries/api-keys.ts";
import { generateApiKey } from "../auth/api-key.ts";
import type { Scope } from "../auth/scopes.ts";
import { keyInput, type KeyInput } from "./inputs/key.ts";
import { appendAudit } from "../db/queries/audit.ts";
import { KEY_AUDIT_COHORT, type KeyCtx } from "./keys-audit.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";

export { keyInput, type KeyInput } from "./inputs/key.ts";

export interface CreatedKey {
  keyId: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  /** The full key: returned once, never stored. */
  token: string;
}

/** Creates an API key; only the SHA-256 hash of its secret is stored. Audited under cohort "*". */
export async function createKey({ ctx, input }: { ctx: KeyCtx; input: KeyInput }): Promise<CreatedKey> {
  const { name, scopes } = keyInput.parse(input);
  const key = await generateApiKey();
  const createdAt = nowIso(ctx);
  await withTransaction(ctx as Ctx, async (tx) => {
    await insertApiKey(tx, { keyId: key.keyId, name, secretHash: key.secretHash, scopes, createdAt, revokedAt: null });
    await appendAudit(tx, { cohortId: KEY_AUDIT_COHORT, at: createdAt, actor: ctx.actor ?? "cli", action: "key.create", route: ctx.route ?? null, requestId: ctx.requestId ?? null, before: null, after: { keyId: key.keyId, name, scopes } });
  });
  return { keyId: key.keyId, name, scopes, createdAt, token: key.token };
}
