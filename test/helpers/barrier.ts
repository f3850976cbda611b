import postgres from "postgres";

/**
 * A barrier for concurrent writers on PostgreSQL, without sleeps: a separate session locks
 * `tables` EXCLUSIVE (reads pass, writes wait), `start` launches the writers, and the barrier
 * opens only once `writers` sessions wait on a lock that leads back to it, either on the tables
 * themselves or behind another writer (an advisory lock). Without the application's locks every
 * writer has then read the state it will write from; with them they are queued in order.
 */
export async function releasedTogether<T>(url: string, tables: readonly string[], writers: number, start: () => (T | Promise<T>)[]): Promise<T[]> {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const holder = await sql.reserve();
    const pid = (await holder<{ pid: number }[]>`select pg_backend_pid() as pid`)[0]!.pid;
    await holder`begin`;
    await holder.unsafe(`lock table ${tables.map((t) => `"${t}"`).join(", ")} in exclusive mode`);
    const running = start().map((p) => Promise.resolve(p).then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e })));
    try {
      await waitForWaiters(sql, pid, writers);
    } finally {
      await holder`commit`;
      holder.release();
    }
    return (await Promise.all(running)).map((r) => {
      if (!r.ok) throw r.e;
      return r.v;
    });
  } finally {
    await sql.end();
  }
}

/** Polls until `n` sessions of this database wait on the holder, directly or through a chain of waiters. */
async function waitForWaiters(sql: postgres.Sql, holderPid: number, n: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await sql<{ pid: number; blockers: number[] }[]>`
      select pid, pg_blocking_pids(pid) as blockers from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`;
    const reached = new Set<number>([holderPid]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of rows) if (!reached.has(r.pid) && r.blockers.some((b) => reached.has(b))) { reached.add(r.pid); grew = true; }
    }
    if (reached.size - 1 >= n) return;
    if (Date.now() > deadline) throw new Error(`barrier: ${reached.size - 1} of ${n} writers waiting after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
