import { createRoute, z } from "@hono/zod-openapi";
import { getSpider, getSwimmer, getWaterfall } from "../../service/cohort-views.ts";
import { ctxFor } from "../access.ts";
import { CohortParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

const ResponseCode = z.string().openapi({ description: "overall response: CR, PR, SD, NON-CR/NON-PD, PD or NE; in an iRECIST cohort iCR, iPR, iSD, NON-iCR/NON-iUPD, iUPD, iCPD or NE", example: "PR" });
const BestResponse = z
  .object({ unconfirmed: ResponseCode, confirmed: ResponseCode })
  .nullable()
  .openapi("BestOverallResponse", { description: "null when RECIST could not be assessed (e.g. no measurable disease)" });
const ReferenceLines = z
  .object({
    partialResponsePct: z.number().openapi({ example: -30, description: "-prThresholdPct of the cohort's protocol" }),
    progressionPct: z.number().openapi({ example: 20, description: "pdThresholdPct of the cohort's protocol" }),
  })
  .openapi("ReferenceLines");
const reportedResponse = ResponseCode.nullable().openapi({ description: "the best overall response the protocol reports (confirmed when it requires confirmation)" });
const timeDays = z.number().openapi({ description: "days since the patient's first study (from dates, day offsets or age)" });
const annotations = z.enum(["complete", "partial"]).openapi({ description: '"partial" (cohort setting; DeepLesion imports): percent changes are of tracked lesions only and no RECIST response is reported' });
const timeAxis = z.string().openapi({ description: "what the patient's time comes from: date, dayOffset, age or order", example: "date" });

export const SpiderSchema = z
  .object({
    cohortId: z.string(),
    annotations,
    referenceLines: ReferenceLines,
    patients: z.array(
      z.object({
        patientId: z.string(),
        timeAxis,
        sumBasis: z.enum(["recistTargets", "allLesions"]),
        bestOverallResponse: BestResponse,
        response: reportedResponse,
        points: z.array(
          z.object({
            timeDays,
            date: z.string().nullable(),
            pctChangeFromBaseline: z.number().nullable().openapi({ description: "null when not evaluable at that scan" }),
            response: ResponseCode.nullable().openapi({ description: "overall response at the scan; null at baseline" }),
          }),
        ),
      }),
    ),
  })
  .openapi("SpiderView");

export const WaterfallSchema = z
  .object({
    cohortId: z.string(),
    annotations,
    referenceLines: ReferenceLines,
    responseBasis: z.enum(["confirmed", "unconfirmed"]),
    patients: z.array(
      z.object({
        patientId: z.string(),
        bestPctChange: z.number().openapi({ description: "lowest percent change of the sum from baseline over follow-up", example: -42.5 }),
        bestOverallResponse: BestResponse,
        response: reportedResponse,
        progressed: z.boolean(),
      }),
    ).openapi({ description: "largest growth first" }),
    notEvaluable: z.array(z.string()).openapi({ description: "patients without a follow-up percent change" }),
  })
  .openapi("WaterfallView");

export const SwimmerSchema = z
  .object({
    cohortId: z.string(),
    annotations,
    patients: z.array(
      z.object({
        patientId: z.string(),
        timeAxis,
        timeOnStudyDays: z.number().openapi({ description: "first to last scan, days" }),
        studyCount: z.number().int(),
        bestOverallResponse: BestResponse,
        response: reportedResponse,
        progressionTimeDays: z.number().nullable().openapi({ description: "time of the first progression (RECIST progression date), null when none" }),
        studies: z.array(z.object({ timeDays, date: z.string().nullable(), response: ResponseCode.nullable(), newLesion: z.boolean().openapi({ description: "a new lesion is present at this scan (RECIST: true from its first appearance on)" }) })),
      }),
    ).openapi({ description: "longest time on study first" }),
  })
  .openapi("SwimmerView");

const view = (name: string, summary: string, schema: z.ZodType) =>
  createRoute({
    method: "get",
    path: `/v1/cohorts/{cohortId}/${name}`,
    tags: ["cohort views"],
    summary,
    request: { params: CohortParams },
    responses: { 200: json(schema, `the ${name} view`), ...errorResponses },
  });

const spider = view("spider", "Spider plot data: percent change of the sum of diameters from baseline per patient over time", SpiderSchema);
const waterfall = view("waterfall", "Waterfall plot data: best percent change per patient with the best overall response", WaterfallSchema);
const swimmer = view("swimmer", "Swimmer plot data: time on study per patient, response per scan, progression and new-lesion markers", SwimmerSchema);

export const viewRoutes = router()
  .openapi(spider, async (c) => {
    const { cohortId } = c.req.valid("param");
    return c.json(await getSpider({ ctx: ctxFor(c, cohortId, "read"), cohortId }), 200);
  })
  .openapi(waterfall, async (c) => {
    const { cohortId } = c.req.valid("param");
    return c.json(await getWaterfall({ ctx: ctxFor(c, cohortId, "read"), cohortId }), 200);
  })
  .openapi(swimmer, async (c) => {
    const { cohortId } = c.req.valid("param");
    return c.json(await getSwimmer({ ctx: ctxFor(c, cohortId, "read"), cohortId }), 200);
  });
