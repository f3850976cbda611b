import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

/** An incoming X-Request-Id is echoed only when it is short and plain (no header injection, no log noise). */
export const isValidRequestId = (id: string): boolean => /^[A-Za-z0-9._-]{1,64}$/.test(id);

/** Accepts a sane incoming X-Request-Id or makes one; echoes it on every response. */
export const requestId = (): MiddlewareHandler<AppEnv> => async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && isValidRequestId(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  c.header("x-request-id", id);
  await next();
};
