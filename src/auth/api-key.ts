import { createHash } from "node:crypto";

/**
 * An API key is `lt_<keyId>_<secret>`: keyId (12 hex chars) is public and the primary key of
 * its row, so a request costs one indexed lookup, never a scan over hashes; the secret is
 * 32 random bytes (base64url). Guessing 256 random bits is hopeless, so a slow salted hash adds
 * nothing: the row keeps `sha256:<base64url digest>`, computed with WebCrypto on Node and Workers.
 */
const KEY_PATTERN = /^lt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
export const SHA256_PREFIX = "sha256:";

export interface NewApiKey {
  keyId: string;
  /** The full key, shown to its owner once and never stored. */
  token: string;
  secretHash: string;
}

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** The stored form of a secret: `sha256:` and the base64url SHA-256 of its UTF-8 bytes. */
export async function hashSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return SHA256_PREFIX + base64url(new Uint8Array(digest));
}

export async function generateApiKey(): Promise<NewApiKey> {
  const keyId = hex(crypto.getRandomValues(new Uint8Array(6)));
  const secret = base64url(crypto.getRandomValues(new Uint8Array(32)));
  return { keyId, token: `lt_${keyId}_${secret}`, secretHash: await hashSecret(secret) };
}

export function parseApiKey(token: string): { keyId: string; secret: string } | null {
  const m = KEY_PATTERN.exec(token);
  return m ? { keyId: m[1]!, secret: m[2]! } : null;
}

/** Equal strings of equal length, compared in time that does not depend on where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Hashes made before SHA-256 (argon2id): verified by a runtime that has argon2 (Node), else refused. */
export type LegacyVerify = (secretHash: string, secret: string) => Promise<boolean>;

/** How a secret matched its row: `legacy` means the row still holds an old hash to be replaced. */
export type SecretMatch = "sha256" | "legacy" | null;

export async function verifySecret(secretHash: string, secret: string, legacy?: LegacyVerify): Promise<SecretMatch> {
  if (secretHash.startsWith(SHA256_PREFIX)) return sameText(secretHash, await hashSecret(secret)) ? "sha256" : null;
  if (!legacy) return null;
  try {
    return (await legacy(secretHash, secret)) ? "legacy" : null;
  } catch {
    return null;
  }
}

/** A fast digest of a credential, used as cache key so the cache never holds a secret. */
export const digestOf = (token: string): string => createHash("sha256").update(token).digest("base64url");
