import type { Ctx, ServiceDeps } from "../service/context.ts";
import type { Authenticate, Principal } from "../auth/principal.ts";

// auth/ owns who a caller is; re-exported for callers that build an app.
export type { Authenticate, Principal };

export interface AppConfig {
  /** Largest accepted request body, bytes (413 above). */
  bodyLimitBytes: number;
  /** Allowed CORS origins; empty = CORS closed. */
  corsOrigins: string[];
}

export interface AppDeps extends ServiceDeps {
  config: AppConfig;
  /** Absent = no access control (tests of other concerns, local demo without keys). */
  authenticate?: Authenticate;
  /** Extra middleware per /v1 request (rate limiting), applied after authentication. */
  rateLimit?: import("./middleware/rate-limit.ts").RateLimit;
  /** API key management routes (/v1/keys); absent on Workers (no argon2 there). */
  keys?: import("../service/keys.ts").KeyAdmin;
  /** false = every request through the app, none through the Node timeline fast path (comparisons). */
  fastPath?: boolean;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
    ctx: Ctx;
  };
}
