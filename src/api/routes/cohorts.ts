import { createRoute, z } from "@hono/zod-openapi";
import { createCohort } from "../../service/create-cohort.ts";
import { getCohort, getCohorts } from "../../service/read-cohort.ts";
import { cohortInput, cohortSettings } from "../../service/inputs/study.ts";
import { patchCohort } from "../../service/update-cohort.ts";
import { deleteCohort } from "../../service/delete-cohort.ts";
import { ctxFor, ctxForGlobalAdmin, hasRole } from "../access.ts";
import { CohortParams, conflictResponse, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

export const CohortSchema = z
  .object({
    cohortId: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    protocol: z.record(z.string(), z.unknown()),
    protocolVersion: z.number().int(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Cohort");

const create = createRoute({
  method: "post",
  path: "/v1/cohorts",
  tags: ["cohorts"],
  summary: "Create a cohort (trial or dataset) with its RECIST protocol",
  request: { body: { required: true, content: { "application/json": { schema: cohortInput.openapi("CohortInput") } } } },
  responses: { 201: json(CohortSchema, "created"), ...errorResponses, 409: conflictResponse },
});

const list = createRoute({
  method: "get",
  path: "/v1/cohorts",
  tags: ["cohorts"],
  summary: "Cohorts this credential can read",
  responses: { 200: json(z.object({ items: z.array(CohortSchema) }), "cohorts"), ...errorResponses },
});

const get = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}",
  tags: ["cohorts"],
  summary: "One cohort",
  request: { params: CohortParams },
  responses: { 200: json(CohortSchema, "the cohort"), ...errorResponses },
});

const CohortPatch = z
  .object({
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).nullable().optional(),
    settings: cohortSettings.partial().strict().optional().describe("merged into the stored settings; a change re-derives every patient"),
  })
  .strict()
  .openapi("CohortPatch");

const patch = createRoute({
  method: "patch",
  path: "/v1/cohorts/{cohortId}",
  tags: ["cohorts"],
  summary: "Change a cohort's name, description or settings (scan interval, body size, forecast horizons; admin); new settings re-derive every patient",
  request: { params: CohortParams, body: { required: true, content: { "application/json": { schema: CohortPatch } } } },
  responses: { 200: json(CohortSchema.extend({ patientsRederived: z.number().int() }), "the cohort after the change"), ...errorResponses },
});

const del = createRoute({
  method: "delete",
  path: "/v1/cohorts/{cohortId}",
  tags: ["cohorts"],
  summary: "Delete a cohort with all its patients and data (admin); one audit entry stays: who, when, name and counts",
  request: { params: CohortParams },
  responses: { 200: json(z.object({ cohortId: z.string(), deletedAt: z.string(), patients: z.number().int(), studies: z.number().int(), observations: z.number().int() }), "deleted"), ...errorResponses },
});

export const cohortRoutes = router()
  .openapi(patch, async (c) => {
    const { cohortId } = c.req.valid("param");
    const ctx = ctxFor(c, cohortId, "admin");
    const r = await patchCohort({ ctx, cohortId, patch: c.req.valid("json") });
    return c.json({ ...(await getCohort({ ctx, cohortId })), patientsRederived: r.patientsRederived }, 200);
  })
  .openapi(del, async (c) => {
    const { cohortId } = c.req.valid("param");
    return c.json(await deleteCohort({ ctx: ctxFor(c, cohortId, "admin"), cohortId }), 200);
  })
  .openapi(create, async (c) => {
    const ctx = ctxForGlobalAdmin(c);
    const row = await createCohort({ ctx, input: c.req.valid("json") });
    const cohort = await getCohort({ ctx, cohortId: row.cohortId });
    return c.json(cohort, 201, { location: `/v1/cohorts/${encodeURIComponent(row.cohortId)}` });
  })
  .openapi(list, async (c) => {
    const p = c.get("principal");
    const items = await getCohorts({ ctx: c.get("ctx"), visible: (id) => hasRole(p, id, "read") });
    return c.json({ items }, 200);
  })
  .openapi(get, async (c) => {
    const { cohortId } = c.req.valid("param");
    return c.json(await getCohort({ ctx: ctxFor(c, cohortId, "read"), cohortId }), 200);
  });
