import { readTimeline } from "../db/queries/patients.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";
import { TimelineCache } from "./timeline-cache.ts";

export const etagOf = (revision: number): string => `"r${revision}"`;

/** Parses an If-None-Match header into the revision it names, if it is one of ours. */
export function revisionOfEtag(header: string | undefined | null): number | null {
  const m = header ? /^(?:W\/)?"r(\d+)"$/.exec(header.trim()) : null;
  return m ? Number(m[1]) : null;
}

/**
 * The stored timeline document: from the process's cache when it holds the newest announced
 * revision, else one indexed read. When the caller's ETag names the current revision the body
 * is not transferred and `notModified` is true.
 */
export async function getTimeline({ ctx, cohortId, patientId, ifNoneMatch }: { ctx: Ctx; cohortId: string; patientId: string; ifNoneMatch?: string | null }) {
  const known = revisionOfEtag(ifNoneMatch);
  const cache = ctx.timelineCache;
  const key = TimelineCache.key(cohortId, patientId);
  const hit = cache?.get(key);
  if (hit) {
    const etag = etagOf(hit.revision);
    return known === hit.revision ? { notModified: true as const, etag } : { notModified: false as const, etag, body: hit.body };
  }
  // With a cache, fetch the body even for a conditional request: the next one is then served from memory.
  const row = await readTimeline(ctx.db, cohortId, patientId, cache?.enabled ? null : known);
  if (!row) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
  const etag = etagOf(row.revision);
  if (row.body !== null) cache?.offer(key, row.revision, row.body);
  if (row.body === null || (known !== null && known === row.revision)) return { notModified: true as const, etag };
  return { notModified: false as const, etag, body: row.body };
}
