import { createKey } from "./keys-create.ts";
import { listKeys } from "./keys-list.ts";
import { revokeKey } from "./keys-revoke.ts";
import { readKeyAudit } from "./read-audit.ts";

/** The key use cases offered over HTTP (/v1/keys), injected into the app (Node and Workers). */
export interface KeyAdmin {
  create: typeof createKey;
  list: typeof listKeys;
  revoke: typeof revokeKey;
  audit: typeof readKeyAudit;
}

export const keyAdmin: KeyAdmin = { create: createKey, list: listKeys, revoke: revokeKey, audit: readKeyAudit };
