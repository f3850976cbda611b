import type { Ctx } from "./context.ts";

/** Key events concern no one cohort: the audit log keeps them under this cohort id. */
export const KEY_AUDIT_COHORT = "*";

/** What key use cases need: the database and clock, and who acts when known (CLI: "cli"). */
export type KeyCtx = Pick<Ctx, "db" | "clock" | "tx"> & Partial<Pick<Ctx, "actor" | "route" | "requestId" | "forgetKey">>;
