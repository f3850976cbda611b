import { createRoute, z } from "@hono/zod-openapi";
import { upsertPatient } from "../../service/upsert-patient.ts";
import { getPatientsPage } from "../../service/read-cohort.ts";
import { getTimeline } from "../../service/get-timeline.ts";
import { getPatient } from "../../service/read-patient.ts";
import { deletePatient } from "../../service/delete-patient.ts";
import { patientInput } from "../../service/inputs/study.ts";
import { ctxFor } from "../access.ts";
import { CohortParams, PatientParams, TIMELINE_CACHE_CONTROL, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

const WriteResult = z.object({ created: z.boolean(), changed: z.boolean(), revision: z.number().int() }).openapi("WriteResult");

const put = createRoute({
  method: "put",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}",
  tags: ["patients"],
  summary: "Create or update a patient (sex, birth year, reference date, free metadata)",
  request: { params: PatientParams, body: { required: true, content: { "application/json": { schema: patientInput.openapi("PatientInput") } } } },
  responses: { 200: json(WriteResult, "updated or unchanged"), 201: json(WriteResult, "created"), ...errorResponses },
});

const PatientListItem = z.object({
  patientId: z.string(),
  sex: z.string().nullable(),
  birthYear: z.number().int().nullable(),
  revision: z.number().int(),
  updatedAt: z.string(),
  studyCount: z.number().int(),
  bestOverallResponse: z.unknown(),
});

const list = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/patients",
  tags: ["patients"],
  summary: "Patients of a cohort, keyset-paginated by patient id",
  request: {
    params: CohortParams,
    query: z.object({
      cursor: z.string().max(512).optional().openapi({ description: "nextCursor of the previous page" }),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(PatientListItem), nextCursor: z.string().nullable() }), "a page"), ...errorResponses },
});

const timeline = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/timeline",
  tags: ["patients"],
  summary: "The patient's timeline: studies, tracks, RECIST and forecasts (ETag / If-None-Match)",
  request: { params: PatientParams, headers: z.object({ "if-none-match": z.string().max(200).optional() }) },
  responses: {
    200: json(z.object({
      patient: z.unknown(),
      annotations: z.object({ mode: z.enum(["complete", "partial"]), note: z.string().nullable() }).optional().openapi({ description: 'cohort setting: with "partial", recist.result carries no categories, studies[].recist is null and studies[].trackedLesionsPctChange is the size change of tracked lesions' }),
      studies: z.array(z.unknown()),
      tracks: z.array(z.unknown()),
      recist: z.unknown(),
      forecasts: z.unknown(),
    }).passthrough().openapi("Timeline"), "the timeline document"),
    304: { description: "not modified since the ETag given in If-None-Match" },
    ...errorResponses,
  },
});

const PatientSchema = z
  .object({
    patientId: z.string(), sex: z.string().nullable(), birthYear: z.number().int().nullable(), referenceDate: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()), revision: z.number().int(), createdAt: z.string(), updatedAt: z.string(),
    studyKeys: z.array(z.string()).describe("in time order"),
  })
  .openapi("Patient");

const get = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}",
  tags: ["patients"],
  summary: "A patient's attributes and study keys",
  request: { params: PatientParams },
  responses: { 200: json(PatientSchema, "the patient"), ...errorResponses },
});

const del = createRoute({
  method: "delete",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}",
  tags: ["patients"],
  summary: "Erase a patient and all its data (consent withdrawal; admin); the audit log keeps who, when and how much, not the measurements",
  request: { params: PatientParams },
  responses: { 200: json(z.object({ patientId: z.string(), deletedAt: z.string(), studies: z.number().int(), observations: z.number().int() }), "erased"), ...errorResponses },
});

export const patientRoutes = router()
  .openapi(get, async (c) => {
    const { cohortId, patientId } = c.req.valid("param");
    return c.json(await getPatient({ ctx: ctxFor(c, cohortId, "read"), cohortId, patientId }), 200);
  })
  .openapi(del, async (c) => {
    const { cohortId, patientId } = c.req.valid("param");
    return c.json(await deletePatient({ ctx: ctxFor(c, cohortId, "admin"), cohortId, patientId }), 200);
  })
  .openapi(put, async (c) => {
    const { cohortId, patientId } = c.req.valid("param");
    const result = await upsertPatient({ ctx: ctxFor(c, cohortId, "write"), cohortId, patientId, input: c.req.valid("json") });
    return c.json(result, result.created ? 201 : 200);
  })
  .openapi(list, async (c) => {
    const { cohortId } = c.req.valid("param");
    const { cursor, limit } = c.req.valid("query");
    return c.json(await getPatientsPage({ ctx: ctxFor(c, cohortId, "read"), cohortId, limit, cursor }), 200);
  })
  .openapi(timeline, async (c) => {
    const { cohortId, patientId } = c.req.valid("param");
    const t = await getTimeline({ ctx: ctxFor(c, cohortId, "read"), cohortId, patientId, ifNoneMatch: c.req.header("if-none-match") ?? null });
    // The 200's content type on the 304 too: without one, the Node adapter would add text/plain,
    // and a cache refreshing its stored headers from the 304 would take that.
    if (t.notModified) return c.body(null, 304, { etag: t.etag, "content-type": "application/json", "cache-control": TIMELINE_CACHE_CONTROL }) as never;
    return c.body(t.body, 200, { etag: t.etag, "content-type": "application/json", "cache-control": TIMELINE_CACHE_CONTROL }) as never;
  });
