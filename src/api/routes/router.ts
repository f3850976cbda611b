import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { validationHook } from "../errors.ts";

/** A route group whose schema failures answer problem+json. */
export const router = () => new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
