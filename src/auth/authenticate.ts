import type { Authenticate, Principal } from "./principal.ts";
import { digestOf, parseApiKey, verifySecret } from "./api-key.ts";
import { BoundedMap } from "./cache.ts";
import { looksLikeJwt, type VerifiedJwt } from "./jwt.ts";
import type { Scope } from "./scopes.ts";
import { credentialOf } from "./credential.ts";

export { credentialOf };

/** What the authenticator needs to know about a stored key (from the api_keys table). */
export interface StoredKey {
  keyId: string;
  name: string;
  secretHash: string;
  scopes: Scope[];
  revokedAt: string | null;
}

export interface AuthenticatorOptions {
  lookupKey: (keyId: string) => Promise<StoredKey | undefined>;
  verifyJwt?: (token: string) => Promise<VerifiedJwt | null>;
  /**
   * How long a verified credential is trusted before its row is looked up again (ms): the
   * longest a revocation or scope change takes to reach other running processes. Default 5000.
   */
  cacheTtlMs?: number;
  /** Wrong secrets tolerated per key id and minute before verification is refused (argon2 is costly). */
  maxFailuresPerMinute?: number;
  now?: () => number;
}

interface CacheEntry {
  keyId: string | null;
  secretHash: string | null;
  principal: Principal;
  checkedAt: number;
  /** Hard end (JWT exp), ms; Infinity for keys. */
  expiresAt: number;
  refreshing?: Promise<Principal | null>;
}

export interface Authenticator extends Authenticate {
  /** Drops cached verifications of a key at once (this process revoked or changed it). */
  forget(keyId: string): void;
  /**
   * The principal of a credential verified within the TTL, without any I/O; undefined when it
   * would need a lookup or verification (then `authenticate` must decide). For hot paths.
   */
  peek(token: string | null): Principal | undefined;
}


/**
 * API keys are argon2id-hashed, which costs ~10-20 ms of CPU per verification, so a verified
 * key is cached under the SHA-256 of the full key (the cache holds no secret) and only its
 * row (one primary-key read, no argon2) is re-checked every `cacheTtlMs`; concurrent misses
 * share one verification.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const ttl = options.cacheTtlMs ?? 5000;
  const now = options.now ?? Date.now;
  const maxFailures = options.maxFailuresPerMinute ?? 20;
  const cache = new BoundedMap<string, CacheEntry>(10_000);
  const pending = new Map<string, Promise<Principal | null>>();
  const failures = new BoundedMap<string, { count: number; since: number }>(10_000);

  const keyPrincipal = (row: StoredKey): Principal => ({ id: `key:${row.keyId}`, kind: "api-key", scopes: row.scopes });

  async function verifyKey(digest: string, token: string): Promise<Principal | null> {
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const f = failures.get(parsed.keyId);
    if (f && now() - f.since < 60_000 && f.count >= maxFailures) return null;
    const row = await options.lookupKey(parsed.keyId);
    if (!row || row.revokedAt) return null;
    if (!(await verifySecret(row.secretHash, parsed.secret))) {
      const current = f && now() - f.since < 60_000 ? f : { count: 0, since: now() };
      failures.set(parsed.keyId, { count: current.count + 1, since: current.since });
      return null;
    }
    const principal = keyPrincipal(row);
    cache.set(digest, { keyId: row.keyId, secretHash: row.secretHash, principal, checkedAt: now(), expiresAt: Infinity });
    return principal;
  }

  async function verifyToken(digest: string, token: string): Promise<Principal | null> {
    const v = await options.verifyJwt!(token);
    if (!v) return null;
    cache.set(digest, { keyId: null, secretHash: null, principal: v.principal, checkedAt: now(), expiresAt: v.exp * 1000 });
    return v.principal;
  }

  /** Re-reads a cached key's row: still there, not revoked, same hash; picks up new scopes. */
  async function recheck(digest: string, entry: CacheEntry): Promise<Principal | null> {
    const row = await options.lookupKey(entry.keyId!);
    if (!row || row.revokedAt || row.secretHash !== entry.secretHash) {
      cache.delete(digest);
      return null;
    }
    const principal = keyPrincipal(row);
    cache.set(digest, { ...entry, principal, checkedAt: now(), refreshing: undefined });
    return principal;
  }

  const authenticate = (async (req: Request) => {
    const token = credentialOf(req);
    if (!token || token.length > 8192) return null;
    const digest = digestOf(token);
    const entry = cache.get(digest);
    if (entry) {
      const t = now();
      if (t >= entry.expiresAt) cache.delete(digest);
      else if (t - entry.checkedAt < ttl) return entry.principal;
      else if (entry.keyId) {
        entry.refreshing ??= recheck(digest, entry).finally(() => (entry.refreshing = undefined));
        return entry.refreshing;
      } else {
        cache.delete(digest);
      }
    }
    let inflight = pending.get(digest);
    if (!inflight) {
      const verifying = token.startsWith("lt_") ? verifyKey(digest, token) : options.verifyJwt && looksLikeJwt(token) ? verifyToken(digest, token) : Promise.resolve(null);
      inflight = verifying.finally(() => pending.delete(digest));
      pending.set(digest, inflight);
    }
    return inflight;
  }) as Authenticator;

  authenticate.forget = (keyId: string) => cache.deleteWhere((e) => e.keyId === keyId);
  authenticate.peek = (token) => {
    if (!token || token.length > 8192) return undefined;
    const entry = cache.get(digestOf(token));
    const t = now();
    return entry && t < entry.expiresAt && t - entry.checkedAt < ttl ? entry.principal : undefined;
  };
  return authenticate;
}
