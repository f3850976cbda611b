import type { MiddlewareHandler } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import type { AppEnv } from "../env.ts";
import { problem } from "../errors.ts";

export interface RateLimitOptions {
  /** Requests allowed per credential and window. */
  limit: number;
  windowMs: number;
}

/**
 * Per-credential rate limit (runs after authentication, keyed by the principal id), answering
 * 429 problem+json with Retry-After. The counters live in this process's memory: several
 * instances behind a balancer each allow `limit` (a shared store would make it global).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return rateLimiter<AppEnv>({
    windowMs: options.windowMs,
    limit: options.limit,
    standardHeaders: "draft-6",
    keyGenerator: (c) => c.get("principal").id,
    handler: (c) => {
      const reset = (c.get("rateLimit" as never) as { resetTime?: Date } | undefined)?.resetTime;
      const seconds = Math.max(1, Math.ceil(((reset?.getTime() ?? Date.now() + options.windowMs) - Date.now()) / 1000));
      c.header("retry-after", String(seconds));
      return problem(c, "rate_limited", `more than ${options.limit} requests in ${Math.round(options.windowMs / 1000)} s for this credential; retry after ${seconds} s`);
    },
  }) as MiddlewareHandler<AppEnv>;
}
