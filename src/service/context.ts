import type { Db, Tx } from "../db/client.ts";
import type { Clock } from "../domain/ports.ts";
import type { GrowthPredictor } from "../domain/growth/predictor.ts";
import type { TimelineCache } from "./timeline-cache.ts";

/** Everything a use case needs from outside, injected once per entry point. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  predictor: GrowthPredictor;
  /** Optional in-process timeline cache, kept true by NOTIFY (see timeline-cache.ts). */
  timelineCache?: TimelineCache;
  /** Drops this process's cached verification of a revoked key (the server's authenticator). */
  forgetKey?: (keyId: string) => void;
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
  const tasks: (() => void)[] = [];
  const result = await ctx.db.transaction((tx) => {
    commitTasks.set(tx, tasks);
    return fn(tx);
  });
  for (const task of tasks) task();
  return result;
}

/** Per transaction (joined use cases share it): work to run once it has committed. */
const commitTasks = new WeakMap<object, (() => void)[]>();

/** Runs `task` after the transaction commits (never if it rolls back). */
export function afterCommit(tx: Tx, task: () => void): void {
  commitTasks.get(tx)?.push(task);
}

export const nowIso = (ctx: Pick<Ctx, "clock">): string => ctx.clock.now().toISOString();
