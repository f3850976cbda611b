import { findCohort } from "../db/queries/cohorts.ts";
import { readCalibrationInputs, readScoredForecasts } from "../db/queries/forecasts.ts";
import { cohortCalibration, COHORT_CALIBRATION_MIN_SCORED, COHORT_CALIBRATION_WINDOW } from "../domain/growth/cohort-calibration.ts";
import { summariseSkill } from "../domain/growth/skill.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/**
 * How good a cohort's forecasts were: every stored forecast whose target scan arrived, scored
 * at ingest; summarised overall, per model version and per kind of series, with the
 * calibration the cohort's next forecasts will use.
 */
export async function getForecastSkill({ ctx, cohortId }: { ctx: Ctx; cohortId: string }) {
  const [cohort, scored, intervals] = await Promise.all([
    findCohort(ctx.db, cohortId),
    readScoredForecasts(ctx.db, cohortId),
    readCalibrationInputs(ctx.db, cohortId, COHORT_CALIBRATION_WINDOW),
  ]);
  if (!cohort) throw notFound(`cohort ${cohortId}`);
  const versions = [...new Set(scored.map((s) => s.modelVersion))].sort();
  const calibration = cohortCalibration(intervals);
  return {
    cohortId,
    calibration: { ...calibration, minScored: COHORT_CALIBRATION_MIN_SCORED },
    overall: summariseSkill(scored),
    byModelVersion: versions.map((modelVersion) => ({ modelVersion, ...summariseSkill(scored.filter((s) => s.modelVersion === modelVersion)) })),
    bySeries: {
      tracks: summariseSkill(scored.filter((s) => s.subject.startsWith("track:"))),
      sumOfDiameters: summariseSkill(scored.filter((s) => s.subject.startsWith("sum:"))),
    },
  };
}
