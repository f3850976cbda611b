import { findCohort } from "../db/queries/cohorts.ts";
import { readTimelineBodies } from "../db/queries/views.ts";
import { rankReviewQueue, reviewCandidates, type QueueTimeline, type ReviewItem } from "../domain/timeline/review-queue.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

const PAGE = 200;

const quantile = (sorted: number[], q: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null);

/**
 * The links of a cohort most worth a person's look (see domain/timeline/review-queue.ts), read
 * from the stored timelines page by page, with the spread of the matcher's confidence.
 */
export async function getReviewQueue({ ctx, cohortId, limit }: { ctx: Ctx; cohortId: string; limit: number }) {
  if (!(await findCohort(ctx.db, cohortId))) throw notFound(`cohort ${cohortId}`);
  const candidates: ReviewItem[] = [];
  let after: string | null = null;
  for (;;) {
    const rows = await readTimelineBodies(ctx.db, cohortId, after, PAGE);
    for (const r of rows) candidates.push(...reviewCandidates(r.patientId, JSON.parse(r.body) as QueueTimeline));
    if (rows.length < PAGE) break;
    after = rows.at(-1)!.patientId;
  }
  const links = candidates.filter((c) => c.kind === "link");
  const conf = links.map((l) => l.confidence!).sort((a, b) => a - b);
  return {
    cohortId,
    matcherLinks: links.length,
    linksWithMargin: links.filter((l) => l.margin !== null).length,
    vanishedNewPairs: candidates.length - links.length,
    confidence: { min: quantile(conf, 0), p10: quantile(conf, 0.1), median: quantile(conf, 0.5), max: conf.at(-1) ?? null },
    items: rankReviewQueue(candidates, limit),
  };
}
