import { evaluateQuantileModel } from "../domain/growth/quantile-model.ts";
import type { GrowthRow } from "./data.ts";
import { benchCases, errorsByStudy, intervalSummary, locfForecasts, modelForecasts, type BenchCase, type PointForecast } from "./evaluate.ts";
import { buildExamples } from "./examples.ts";
import { trainQuantileModel, type TrainOptions } from "./train-model.ts";

/**
 * Leave-one-study-out: for each study, train on all rows of the other studies (same code as
 * `train`) and forecast the benchmark cases of the left-out study with the TS reference.
 */
export async function leaveOneStudyOut(rows: readonly GrowthRow[], options: TrainOptions = {}) {
  const studies = [...new Set(rows.map((r) => r.study))].sort((a, b) => a - b);
  const cases: BenchCase[] = [];
  const forecasts: PointForecast[][] = [];
  for (const s of studies) {
    const { params } = trainQuantileModel(buildExamples(rows.filter((r) => r.study !== s)), options);
    const held = benchCases(rows.filter((r) => r.study === s));
    const f = await modelForecasts(held, (x) => Promise.resolve(x.map((v) => evaluateQuantileModel(params, v))));
    cases.push(...held);
    forecasts.push(...f);
  }
  const model = errorsByStudy(cases, forecasts);
  const locf = errorsByStudy(cases, locfForecasts(cases));
  return { cases, forecasts, model, locf, interval: intervalSummary(cases, forecasts) };
}
