import { listApiKeys } from "../db/queries/api-keys.ts";
import type { Ctx } from "./context.ts";

/** Every key ever made (revoked ones too, marked), without any secret or hash. */
export async function listKeys({ ctx }: { ctx: Pick<Ctx, "db"> }) {
  const rows = await listApiKeys(ctx.db);
  return rows.map((r) => ({ keyId: r.keyId, name: r.name, scopes: r.scopes, createdAt: r.createdAt, revokedAt: r.revokedAt }));
}
