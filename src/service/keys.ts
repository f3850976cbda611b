import { createKey } from "./keys-create.ts";
import { listKeys } from "./keys-list.ts";
import { revokeKey } from "./keys-revoke.ts";
import { readKeyAudit } from "./read-audit.ts";

/**
 * The key use cases the Node server offers over HTTP (/v1/keys), injected into the app so
 * that the Workers build, which accepts JWTs only and has no argon2, leaves them out.
 */
export interface KeyAdmin {
  create: typeof createKey;
  list: typeof listKeys;
  revoke: typeof revokeKey;
  audit: typeof readKeyAudit;
}

export const keyAdmin: KeyAdmin = { create: createKey, list: listKeys, revoke: revokeKey, audit: readKeyAudit };
