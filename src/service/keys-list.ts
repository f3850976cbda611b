import { listApiKeys } from "../db/queries/api-keys.ts";
import type { Ctx } from "./context.ts";

const iso = (t: string | null): string | null => (t === null ? null : new Date(t).toISOString());

/** Every key ever made (revoked ones too, marked), without any secret or hash; times in ISO 8601. */
export async function listKeys({ ctx }: { ctx: Pick<Ctx, "db"> }) {
  const rows = await listApiKeys(ctx.db);
  return rows.map((r) => ({ keyId: r.keyId, name: r.name, scopes: r.scopes, createdAt: iso(r.createdAt)!, revokedAt: iso(r.revokedAt) }));
}
