import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

/** Accepts a sane incoming X-Request-Id or makes one; echoes it on every response. */
export const requestId = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  c.header("x-request-id", id);
  await next();
};
