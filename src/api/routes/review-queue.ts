import { createRoute, z } from "@hono/zod-openapi";
import { getReviewQueue } from "../../service/review-queue.ts";
import { ctxFor } from "../access.ts";
import { CohortParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

const ReviewItem = z
  .object({
    patientId: z.string(),
    reasons: z.array(z.enum(["lowest confidence", "smallest margin", "vanished and new in one scan"])).openapi({ description: "which list(s) put the item in the queue" }),
    kind: z.enum(["link", "candidate"]).openapi({ description: "link: the matcher joined from -> to; candidate: a lesion vanished (from) in the scan where a new one (to) appeared, not linked" }),
    trackId: z.string().openapi({ description: "the track of the `to` observation" }),
    trackLabel: z.string(),
    fromObservationId: z.string(),
    toObservationId: z.string(),
    fromStudyKey: z.string(),
    toStudyKey: z.string(),
    fromDiameterMm: z.number(),
    toDiameterMm: z.number(),
    cost: z.number().nullable(),
    confidence: z.number().nullable().openapi({ description: "the matcher's probability that the link is right; null for a candidate" }),
    margin: z.number().nullable().openapi({ description: "cost margin to the next candidate partner; null when the timeline does not carry it" }),
    distance: z.number().nullable().openapi({ description: "distance between the two lesions: mm, or normalised body units when only those exist" }),
    moveTargets: z.array(z.object({ trackId: z.string(), label: z.string() })).openapi({ description: "tracks the `to` observation can be moved into (POST .../corrections, move-observation)" }),
  })
  .openapi("ReviewItem");

const route = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/review-queue",
  tags: ["tracks"],
  summary: "The matcher's links most worth a look: lowest confidence, smallest margin, a lesion vanished where a new one appeared",
  description:
    "The three lists are taken in turn (first of each, then second of each, ...), each link once with all its reasons. Act on an item with POST /v1/cohorts/{cohortId}/patients/{patientId}/corrections: confirm-link or reject-link (fromObservationId, toObservationId), or move-observation (toObservationId into one of moveTargets).",
  request: {
    params: CohortParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(20).openapi({ param: { name: "limit", in: "query" }, example: 20 }) }),
  },
  responses: {
    200: json(
      z
        .object({
          cohortId: z.string(),
          matcherLinks: z.number().int().openapi({ description: "links made by the matcher (a person's confirmed links are not queued)" }),
          linksWithMargin: z.number().int(),
          vanishedNewPairs: z.number().int(),
          confidence: z.object({ min: z.number().nullable(), p10: z.number().nullable(), median: z.number().nullable(), max: z.number().nullable() }).openapi({ description: "spread of the matcher's link confidence over the cohort" }),
          items: z.array(ReviewItem),
        })
        .openapi("ReviewQueue"),
      "the review queue",
    ),
    ...errorResponses,
  },
});

export const reviewQueueRoutes = router().openapi(route, async (c) => {
  const { cohortId } = c.req.valid("param");
  const { limit } = c.req.valid("query");
  return c.json(await getReviewQueue({ ctx: ctxFor(c, cohortId, "read"), cohortId, limit }), 200);
});
