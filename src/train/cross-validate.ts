import { evaluateQuantileModel, type QuantileModelParams } from "../domain/growth/quantile-model.ts";
import { fitCalibratedModel } from "./calibrate.ts";
import type { GrowthRow } from "./data.ts";
import { benchCases, modelForecasts, studyIndex, type PointForecast } from "./evaluate.ts";

/**
 * Leave-one-study-out: for each study, fit the model on all rows of the other studies (same
 * code as `train`) and forecast the benchmark cases of the left-out study with the TS
 * reference. Forecasts come back in the order of benchCases(rows).
 */
export async function leaveOneStudyOut(rows: readonly GrowthRow[], toFloat32: (p: QuantileModelParams) => QuantileModelParams = (p) => p) {
  const cases = benchCases(rows);
  const forecasts: PointForecast[][] = new Array(cases.length);
  const models: Record<string, QuantileModelParams> = {};
  for (const [s, idx] of studyIndex(cases)) {
    const params = toFloat32(fitCalibratedModel(rows.filter((r) => String(r.study) !== s)).params);
    models[s] = params;
    const f = await modelForecasts(idx.map((i) => cases[i]!), (x) => Promise.resolve(x.map((v) => evaluateQuantileModel(params, v))));
    idx.forEach((i, k) => (forecasts[i] = f[k]!));
  }
  return { cases, forecasts, models };
}
