import { createRoute, z } from "@hono/zod-openapi";
import { correctTracks, listCorrections, withdrawCorrection } from "../../service/correct-tracks.ts";
import { ctxFor } from "../access.ts";
import { PatientParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

const obsId = z.string().min(1).max(256);
const note = z.string().max(2000).optional();

export const TrackCorrectionSchema = z
  .discriminatedUnion("action", [
    z.object({ action: z.literal("confirm-link"), fromObservationId: obsId, toObservationId: obsId, note }).strict(),
    z.object({ action: z.literal("reject-link"), fromObservationId: obsId, toObservationId: obsId, note }).strict(),
    z.object({ action: z.literal("move-observation"), observationId: obsId, toTrackId: obsId, note }).strict(),
    z.object({ action: z.literal("split-track"), trackId: obsId, atObservationId: obsId, note }).strict(),
    z.object({ action: z.literal("merge-tracks"), trackId: obsId, intoTrackId: obsId, note }).strict(),
  ])
  .openapi("TrackCorrection");

const Correction = z.object({
  correctionId: z.number().int(),
  kind: z.enum(["must", "cannot"]),
  fromObservationId: z.string(),
  toObservationId: z.string(),
  actor: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  meta: z.record(z.string(), z.unknown()),
});

const post = createRoute({
  method: "post",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/corrections",
  tags: ["tracks"],
  summary: "Correct the tracks: confirm or reject a link, move an observation, split or merge tracks",
  description: "Stored as confirmed / forbidden links that the matcher never overrides; the patient is re-derived and the correction audited.",
  request: { params: PatientParams, body: { required: true, content: { "application/json": { schema: TrackCorrectionSchema } } } },
  responses: {
    200: json(z.object({ revision: z.number().int(), correctionIds: z.array(z.number().int()), constraints: z.array(z.object({ kind: z.enum(["must", "cannot"]), from: z.string(), to: z.string() })) }), "applied"),
    ...errorResponses,
  },
});

const list = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/corrections",
  tags: ["tracks"],
  summary: "People's corrections of this patient's tracks",
  request: { params: PatientParams },
  responses: { 200: json(z.object({ items: z.array(Correction) }), "corrections"), ...errorResponses },
});

const del = createRoute({
  method: "delete",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/corrections/{correctionId}",
  tags: ["tracks"],
  summary: "Withdraw a correction (the matcher decides that link again)",
  request: { params: PatientParams.extend({ correctionId: z.coerce.number().int().positive().openapi({ param: { name: "correctionId", in: "path" } }) }) },
  responses: { 200: json(z.object({ revision: z.number().int() }), "withdrawn"), ...errorResponses },
});

export const correctionRoutes = router()
  .openapi(post, async (c) => {
    const { cohortId, patientId } = c.req.valid("param");
    return c.json(await correctTracks({ ctx: ctxFor(c, cohortId, "write"), cohortId, patientId, correction: c.req.valid("json") }), 200);
  })
  .openapi(list, async (c) => {
    const { cohortId, patientId } = c.req.valid("param");
    const items = await listCorrections({ ctx: ctxFor(c, cohortId, "read"), cohortId, patientId });
    return c.json({ items }, 200);
  })
  .openapi(del, async (c) => {
    const { cohortId, patientId, correctionId } = c.req.valid("param");
    return c.json(await withdrawCorrection({ ctx: ctxFor(c, cohortId, "write"), cohortId, patientId, correctionId }), 200);
  });
