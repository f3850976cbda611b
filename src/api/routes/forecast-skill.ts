import { createRoute, z } from "@hono/zod-openapi";
import { getForecastSkill } from "../../service/forecast-skill.ts";
import { ctxFor } from "../access.ts";
import { CohortParams, errorResponses, json } from "./common.ts";
import { router } from "./router.ts";

const nullableNumber = (description: string) => z.number().nullable().openapi({ description: `${description}; null when nothing is scored` });

const Skill = z
  .object({
    n: z.number().int().openapi({ description: "forecasts scored (their target scan arrived and measured the series)" }),
    maeMm: nullableNumber("mean absolute error, mm"),
    locfMaeMm: nullableNumber("mean absolute error of the last value carried forward on the same points, mm"),
    maeRatioToLocf: nullableNumber("maeMm / locfMaeMm (below 1: better than LOCF)"),
    coverage80: nullableNumber("share of truths inside the 80 % interval"),
    brier: nullableNumber("Brier score of P(progression) against what happened"),
    brierBaseRate: nullableNumber("Brier score of always predicting the observed progression rate"),
    progressionRate: nullableNumber("share of scored forecasts whose target scan met the RECIST progression threshold"),
    ece: nullableNumber("expected calibration error of P(progression) over 10 bins"),
    reliability: z
      .array(
        z.object({
          lo: z.number(),
          hi: z.number(),
          n: z.number().int(),
          meanPredicted: z.number().nullable(),
          observed: z.number().nullable(),
        }),
      )
      .openapi({ description: "10 equal-width bins of P(progression): mean predicted vs observed frequency (null when empty)" }),
  })
  .openapi("ForecastSkill");

export const ForecastSkillSchema = z
  .object({
    cohortId: z.string(),
    calibration: z
      .object({
        source: z.enum(["population", "cohort", "fallback"]).openapi({ description: "what the cohort's next forecasts use: the model card's calibration, or the cohort's own once it has minScored scored forecasts" }),
        scale: z.number().openapi({ description: "multiplies the population interval's half-widths (log scale); 1 = population" }),
        scoredForecasts: z.number().int(),
        minScored: z.number().int(),
      })
      .openapi("ForecastCalibration"),
    overall: Skill,
    byModelVersion: z.array(Skill.extend({ modelVersion: z.string() })),
    bySeries: z.object({ tracks: Skill, sumOfDiameters: Skill }),
  })
  .openapi("ForecastSkillView");

const route = createRoute({
  method: "get",
  path: "/v1/cohorts/{cohortId}/forecast-skill",
  tags: ["cohort views"],
  summary: "How good the cohort's forecasts were: error vs LOCF, interval coverage, P(progression) Brier and reliability, per model version",
  request: { params: CohortParams },
  responses: { 200: json(ForecastSkillSchema, "forecast skill of the cohort"), ...errorResponses },
});

export const forecastSkillRoutes = router().openapi(route, async (c) => {
  const { cohortId } = c.req.valid("param");
  return c.json(await getForecastSkill({ ctx: ctxFor(c, cohortId, "read"), cohortId }), 200);
});
