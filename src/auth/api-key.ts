import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/**
 * An API key is `lt_<keyId>_<secret>`: keyId (12 hex chars) is public and the primary key of
 * its row, so a request costs one indexed lookup, never a scan over hashes; the secret is
 * 32 random bytes (base64url) and only its argon2id hash is stored.
 */
const KEY_PATTERN = /^lt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  keyId: string;
  /** The full key, shown to its owner once and never stored. */
  token: string;
  secretHash: string;
}

export async function generateApiKey(): Promise<NewApiKey> {
  const keyId = randomBytes(6).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  // argon2id with the library's defaults (m=19 MiB, t=2, p=1: the OWASP minimum).
  return { keyId, token: `lt_${keyId}_${secret}`, secretHash: await hash(secret) };
}

export function parseApiKey(token: string): { keyId: string; secret: string } | null {
  const m = KEY_PATTERN.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : null;
}

export async function verifySecret(secretHash: string, secret: string): Promise<boolean> {
  try {
    return await verify(secretHash, secret);
  } catch {
    return false;
  }
}

/** A fast digest of a credential, used as cache key so the cache never holds a secret. */
export const digestOf = (token: string): string => createHash("sha256").update(token).digest("base64url");
