import { z } from "zod";
import { insertApiKey } from "../db/queries/api-keys.ts";
import { generateApiKey } from "../auth/api-key.ts";
import { parseScope, type Scope } from "../auth/scopes.ts";
import { nowIso, withTransaction, type Ctx } from "./context.ts";

export const keyInput = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z
    .array(z.string().transform((s, c) => parseScope(s) ?? (c.addIssue({ code: "custom", message: `"${s}" is not COHORT:ROLE with ROLE read, write or admin (COHORT may be *)` }), z.NEVER)))
    .min(1, "at least one scope"),
});
export type KeyInput = z.input<typeof keyInput>;

export interface CreatedKey {
  keyId: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  /** The full key: returned once, never stored. */
  token: string;
}

/** Creates an API key; only the argon2id hash of its secret is stored. */
export async function createKey({ ctx, input }: { ctx: Pick<Ctx, "db" | "clock" | "tx">; input: KeyInput }): Promise<CreatedKey> {
  const { name, scopes } = keyInput.parse(input);
  const key = await generateApiKey();
  const createdAt = nowIso(ctx);
  await withTransaction(ctx as Ctx, (tx) => insertApiKey(tx, { keyId: key.keyId, name, secretHash: key.secretHash, scopes, createdAt, revokedAt: null }));
  return { keyId: key.keyId, name, scopes, createdAt, token: key.token };
}
