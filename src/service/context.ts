import type { Db, Tx } from "../db/client.ts";
import type { Clock } from "../domain/ports.ts";
import type { GrowthPredictor } from "../domain/growth/predictor.ts";

/** Everything a use case needs from outside, injected once per entry point. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  predictor: GrowthPredictor;
}

/** Per-call context: deps plus who acts and through which route (for the audit log). */
export interface Ctx extends ServiceDeps {
  actor: string;
  route?: string;
  requestId?: string;
  /** Set when the caller already opened a transaction: use cases join it instead of nesting. */
  tx?: Tx;
}

/** Runs fn in the caller's transaction, or in a new one: every write is one transaction. */
export async function withTransaction<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (ctx.tx) return fn(ctx.tx);
  return ctx.db.transaction((tx) => fn(tx));
}

export const nowIso = (ctx: Pick<Ctx, "clock">): string => ctx.clock.now().toISOString();
