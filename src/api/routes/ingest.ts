import { createRoute, z } from "@hono/zod-openapi";
import { ingestPatients, type BatchPaths } from "../../service/ingest-patient.ts";
import { identifier, patientInput, studyInput } from "../../service/inputs/study.ts";
import { ctxFor } from "../access.ts";
import { CohortParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

/** Patients per request: with the body limit, this bounds one transaction's work. */
export const MAX_BATCH_PATIENTS = 1000;

const IngestBody = z
  .object({
    patients: z
      .array(
        z
          .object({
            patientId: identifier,
            patient: patientInput.optional().describe("attributes as PUT /patients/{patientId} takes them; absent = keep a stored patient's, none for a new one"),
            studies: z
              .array(z.object({ studyKey: identifier, study: studyInput }).strict())
              .max(1000)
              .default([])
              .describe("each as PUT .../studies/{studyKey} takes it"),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_BATCH_PATIENTS),
  })
  .strict()
  .openapi("IngestBatch");

const IngestResult = z
  .object({
    patients: z.array(
      z.object({
        patientId: z.string(),
        patientCreated: z.boolean(),
        studiesCreated: z.number().int(),
        studiesReplaced: z.number().int(),
        changed: z.boolean().describe("false when every body was stored as given already"),
        revision: z.number().int().describe("the patient's timeline revision (ETag) after the write"),
      }),
    ),
    studiesWritten: z.number().int(),
  })
  .openapi("IngestResult");

const ingest = createRoute({
  method: "post",
  path: "/v1/cohorts/{cohortId}/ingest",
  tags: ["studies"],
  summary: "Create or replace many patients and studies in one transaction (all or nothing; idempotent); re-derives each touched patient once",
  description:
    "The bulk form of PUT patient + PUT study: the stored result is the same, but reads and writes are batched over the whole request, " +
    "so it is the fast way in for pipelines. Error paths name the field in this body, e.g. patients[3].studies[0].study.observations[1].longAxisMm.",
  request: { params: CohortParams, body: { required: true, content: { "application/json": { schema: IngestBody } } } },
  responses: { 200: json(IngestResult, "what each patient's write did"), ...errorResponses },
});

const paths: BatchPaths = {
  patientId: (i) => `patients[${i}].patientId`,
  studyKey: (i, j) => `patients[${i}].studies[${j}].studyKey`,
  studyBody: (i, j) => `patients[${i}].studies[${j}].study.`,
};

export const ingestRoutes = router().openapi(ingest, async (c) => {
  const { cohortId } = c.req.valid("param");
  const body = c.req.valid("json");
  const batches = body.patients.map((p) => ({
    patientId: p.patientId,
    ...(p.patient ? { patient: p.patient } : {}),
    studies: p.studies.map((s) => ({ studyKey: s.studyKey, input: s.study })),
  }));
  const results = await ingestPatients({ ctx: ctxFor(c, cohortId, "write"), cohortId, batches, paths });
  return c.json({ patients: results, studiesWritten: results.reduce((n, r) => n + r.studiesCreated + r.studiesReplaced, 0) }, 200);
});
