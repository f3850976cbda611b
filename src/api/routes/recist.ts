import { createRoute, z } from "@hono/zod-openapi";
import { setProtocol } from "../../service/set-protocol.ts";
import { setRecistInputs } from "../../service/set-recist-inputs.ts";
import { ctxFor } from "../access.ts";
import { CohortParams, PatientParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const trackId = z.string().min(1).max(256);
const NonTargetStatus = z.enum(["present", "absent", "unequivocal_progression", "not_evaluated"]);

export const RecistInputsSchema = z
  .object({
    referenceDate: isoDate.nullable().optional().describe("treatment start / randomisation; anchors sdMinDays"),
    designations: z
      .array(z.object({ trackId, role: z.enum(["target", "non-target"]) }).strict())
      .max(200)
      .optional()
      .describe("baseline roles set by a person; when absent, targets are proposed by the selection rules (marked proposed)"),
    studyFlags: z
      .record(
        z.string().max(128),
        z
          .object({
            tumorMarkersAboveNormal: z.boolean().optional().describe("tumour markers above normal: blocks a non-target CR"),
            symptomDriven: z.boolean().optional().describe("iRECIST: imaging done to investigate a new symptom or sign; lets an early scan confirm iUPD with an additional new lesion (recist.md §13.2)"),
            nonTargetStatus: z.record(trackId, NonTargetStatus).optional().describe("per non-target or new-lesion track: the reader's status; overrides present-when-seen / absent-when-not"),
            tooSmallToMeasure: z.array(trackId).max(200).optional().describe("target tracks too small to measure (counted as the protocol's tstmDefaultMm, 5 mm); refused for a lesion measured >= minMeasurableMm at this study"),
            equivocalNew: z.array(trackId).max(200).optional().describe("new-lesion tracks the reader finds equivocal here; the state is carried while the lesion is absent, and it is confirmed (progression backdated) only when seen again without this flag"),
            notEvaluated: z.array(trackId).max(200).optional().describe("tracks not evaluated at this study (not covered by the scan, unreadable): a target makes the sum NE; refused for a track measured at this study"),
            disappeared: z.array(trackId).max(200).optional().describe("tracks looked for and gone: a target counts 0 mm, a non-target or new lesion is absent; refused for a track measured at this study"),
            increasedSinceLast: z.array(trackId).max(200).optional().describe("iRECIST: non-target or new non-target lesion tracks that increased since the last scan (recist.md §13.2 b)"),
          })
          .strict(),
      )
      .optional()
      .describe("per follow-up study key: the reader's flags. A target with no observation and no flag is not evaluated, unless the cohort protocol sets missingTargetMeans: \"disappeared\". A flag that contradicts a measurement at the same study is refused (400, the field named)"),
  })
  .strict()
  .openapi("RecistInputs");

const putInputs = createRoute({
  method: "put",
  path: "/v1/cohorts/{cohortId}/patients/{patientId}/recist",
  tags: ["recist"],
  summary: "Set a patient's RECIST inputs (designations, per-study flags, reference date); re-derives the patient",
  description: [
    "Flags name tracks by trackId, per follow-up study key. A target with no observation and no flag is not evaluated (NE) unless the cohort protocol sets missingTargetMeans: \"disappeared\".",
    "Refused (400, errors[].path naming the flag): disappeared or notEvaluated on a track measured at that study; tooSmallToMeasure on a lesion measured >= minMeasurableMm; nonTargetStatus absent on a track seen as disease; one track in two of notEvaluated, disappeared, tooSmallToMeasure.",
    "A flag that a later study write contradicts is listed in the timeline's recist.inputWarnings and the measurement is used; each timeline track has recistStatus (per study key, what the engine was told, e.g. not_evaluated).",
  ].join(" "),
  request: {
    params: PatientParams,
    body: {
      required: true,
      content: {
        "application/json": {
          schema: RecistInputsSchema,
          example: { designations: [{ trackId: "trk_S01/1", role: "target" }, { trackId: "trk_S01/2", role: "target" }], studyFlags: { S03: { notEvaluated: ["trk_S01/1"] } } },
        },
      },
    },
  },
  responses: { 200: json(z.object({ changed: z.boolean(), revision: z.number().int() }), "stored"), ...errorResponses },
});

const putProtocol = createRoute({
  method: "put",
  path: "/v1/cohorts/{cohortId}/protocol",
  tags: ["recist"],
  summary: "Replace the cohort's RECIST protocol parameters (new version; every patient re-derived)",
  request: {
    params: CohortParams,
    body: { required: true, content: { "application/json": { schema: z.object({ protocol: z.record(z.string(), z.unknown()).describe("overrides of recist.md §2 (criteria, requireConfirmation, thresholds...), plus missingTargetMeans: \"not_evaluated\" (default) | \"disappeared\": how a target with no observation and no flag is read") }).strict().openapi("ProtocolInput") } } },
  },
  responses: { 200: json(z.object({ protocolVersion: z.number().int(), changed: z.boolean(), patientsRederived: z.number().int() }), "stored"), ...errorResponses },
});

export const recistRoutes = router()
  .openapi(putInputs, async (c) => {
    const { cohortId, patientId } = c.req.valid("param");
    return c.json(await setRecistInputs({ ctx: ctxFor(c, cohortId, "write"), cohortId, patientId, input: c.req.valid("json") }), 200);
  })
  .openapi(putProtocol, async (c) => {
    const { cohortId } = c.req.valid("param");
    return c.json(await setProtocol({ ctx: ctxFor(c, cohortId, "admin"), cohortId, protocol: c.req.valid("json").protocol }), 200);
  });
