import type { MiddlewareHandler } from "hono";
import { MemoryStore, rateLimiter } from "hono-rate-limiter";
import type { AppEnv } from "../env.ts";
import { problem } from "../errors.ts";

export interface RateLimitOptions {
  /** Requests allowed per credential and window. */
  limit: number;
  windowMs: number;
}

/** One request counted against a credential, with the draft-6 headers the middleware sends. */
export interface RateLimitHit {
  allowed: boolean;
  /** [name, value] pairs, lower-case names, in the order the middleware's response lists them. */
  headers: [string, string][];
}

export interface RateLimit extends MiddlewareHandler<AppEnv> {
  /**
   * Counts one request of `key` in the same store as the middleware, for a path that answers
   * without Hono (the Node timeline fast path). A refused hit is taken back: the caller then
   * hands the request to the app, whose middleware counts it again and answers 429.
   */
  hit(key: string): RateLimitHit;
}

/**
 * Per-credential rate limit (runs after authentication, keyed by the principal id), answering
 * 429 problem+json with Retry-After. The counters live in this process's memory: several
 * instances behind a balancer each allow `limit` (a shared store would make it global).
 */
export function rateLimit(options: RateLimitOptions): RateLimit {
  const store = new MemoryStore<AppEnv>();
  const middleware = rateLimiter<AppEnv>({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: "draft-6",
    store,
    keyGenerator: (c) => c.get("principal").id,
    handler: (c) => {
      const reset = (c.get("rateLimit" as never) as { resetTime?: Date } | undefined)?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      c.header("retry-after", String(seconds));
      return problem(c, "rate_limited", `more than ${options.limit} requests in ${Math.round(options.windowMs / 1000)} s for this credential; retry after ${seconds} s`);
    },
  }) as MiddlewareHandler<AppEnv>;
  const policy = `${options.limit};w=${Math.ceil(options.windowMs / 1000)}`;
  const limit = String(options.limit);
  const hit = (key: string): RateLimitHit => {
    const { totalHits, resetTime } = store.increment(key);
    if (totalHits > options.limit) {
      store.decrement(key);
      return { allowed: false, headers: [] };
    }
    // As hono-rate-limiter's draft-6 headers: Reset is omitted when it rounds to 0 s.
    const reset = resetTime ? Math.max(0, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 0;
    const headers: [string, string][] = [["ratelimit-limit", limit], ["ratelimit-policy", policy], ["ratelimit-remaining", String(Math.max(options.limit - totalHits, 0))]];
    if (reset) headers.push(["ratelimit-reset", String(reset)]);
    return { allowed: true, headers };
  };
  return Object.assign(middleware, { hit });
}
