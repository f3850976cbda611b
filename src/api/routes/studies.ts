import { createRoute, z } from "@hono/zod-openapi";
import { putStudy, removeStudy } from "../../service/put-study.ts";
import { studyInput } from "../../service/inputs/study.ts";
import { getStudy } from "../../service/read-patient.ts";
import { ctxFor } from "../access.ts";
import { StudyParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

const StudyWriteResult = z
  .object({ created: z.boolean(), changed: z.boolean(), revision: z.number().int(), patientCreated: z.boolean().describe("the patient did not exist and was created without attributes"), studyKey: z.string(), observationIds: z.array(z.string()) })
  .openapi("StudyWriteResult");

const put = createRoute({
  method: "put",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}",
  tags: ["studies"],
  summary: "Create or replace one study with all its observations (idempotent); creates the patient when new; re-derives the patient",
  request: { params: StudyParams, body: { required: true, content: { "application/json": { schema: studyInput.openapi("StudyInput") } } } },
  responses: { 200: json(StudyWriteResult, "replaced or unchanged"), 201: json(StudyWriteResult, "created"), ...errorResponses },
});

const del = createRoute({
  method: "delete",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}",
  tags: ["studies"],
  summary: "Delete a study and its observations; re-derives the patient",
  request: { params: StudyParams },
  responses: { 200: json(z.object({ revision: z.number().int() }), "deleted"), ...errorResponses },
});

const get = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}",
  tags: ["studies"],
  summary: "One stored study with its observations (absent fields null)",
  request: { params: StudyParams },
  responses: {
    200: json(z.object({
      studyKey: z.string(), date: z.string().nullable(), dayOffset: z.number().nullable(), orderIndex: z.number().nullable(), ageYears: z.number().nullable(),
      modality: z.string(), sliceThicknessMm: z.number().nullable(), observations: z.array(z.record(z.string(), z.unknown())),
    }).openapi("Study"), "the study"),
    ...errorResponses,
  },
});

export const studyRoutes = router()
  .openapi(get, async (c) => {
    const { cohortId, patientId, studyKey } = c.req.valid("param");
    // Observations are the stored domain values (readonly tuples): sent as JSON as they are.
    return c.json((await getStudy({ ctx: ctxFor(c, cohortId, "read"), cohortId, patientId, studyKey })) as never, 200);
  })
  .openapi(put, async (c) => {
    const { cohortId, patientId, studyKey } = c.req.valid("param");
    const result = await putStudy({ ctx: ctxFor(c, cohortId, "write"), cohortId, patientId, studyKey, input: c.req.valid("json") });
    return c.json(result, result.created ? 201 : 200);
  })
  .openapi(del, async (c) => {
    const { cohortId, patientId, studyKey } = c.req.valid("param");
    return c.json(await removeStudy({ ctx: ctxFor(c, cohortId, "write"), cohortId, patientId, studyKey }), 200);
  });
