import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { CHANGE_BINS, HORIZON_EDGES_WEEKS, STABLE_CHANGE } from "../domain/growth/calibration-bins.ts";
import { DAMPED_TREND } from "../domain/growth/damped-trend.ts";
import { FEATURE_NAMES, FEATURE_VERSION, SIZE_OFFSET_MM } from "../domain/growth/features.ts";
import { evaluateQuantileModel, type QuantileModelParams } from "../domain/growth/quantile-model.ts";
import { CARD_FILE, MODEL_FILE, type GrowthModelCard } from "../forecast/model-card.ts";
import { CALIBRATION_METHOD, fitCalibratedModel, MIN_BIN_EXAMPLES } from "./calibrate.ts";
import { baselineForecastsLoso, calibrationTable, grownSubset } from "./calibration-report.ts";
import { leaveOneStudyOut } from "./cross-validate.ts";
import { readGrowthCsv } from "./data.ts";
import { benchCases, errorsByStudy, locfForecasts, modelForecasts } from "./evaluate.ts";
import { exportQuantileModelOnnx, ONNX_INPUT, ONNX_IR_VERSION, ONNX_OPSET, ONNX_OUTPUT } from "./onnx-export.ts";

/** Float32 round-trip, so the TS reference uses exactly the numbers stored in the ONNX graph. */
function toFloat32(params: QuantileModelParams): QuantileModelParams {
  const f = (v: number): number => Math.fround(v);
  return {
    ...params,
    weights: params.weights.map((w) => [f(w[0]), f(w[1]), f(w[2])] as const),
    bias: [f(params.bias[0]), f(params.bias[1]), f(params.bias[2])],
  };
}

export interface TrainRun {
  dataFile: string;
  outDir: string;
  seed: number;
  command: string;
}

/** Fits on the whole file, writes growth.onnx + growth.card.json, returns the card. */
export async function runTraining(run: TrainRun): Promise<{ card: GrowthModelCard; seconds: number }> {
  const started = performance.now();
  const { rows, sha256 } = readGrowthCsv(run.dataFile);
  const fit = fitCalibratedModel(rows);
  const params = toFloat32(fit.params);
  const bytes = exportQuantileModelOnnx(params, "log((d_h + c) / (d_last + c)) quantiles q10, q50, q90; c = 2 mm");
  const onnxSha = createHash("sha256").update(bytes).digest("hex");
  const cases = benchCases(rows);
  const inSample = await modelForecasts(cases, (x) => Promise.resolve(x.map((v) => evaluateQuantileModel(params, v))));
  const cv = await leaveOneStudyOut(rows, toFloat32);
  const baseline = baselineForecastsLoso(rows, cases, () => null);
  const seconds = (performance.now() - started) / 1000;
  const card: GrowthModelCard = {
    name: "growth forecast: damped trend + Mondrian-calibrated interval",
    modelVersion: `growth-q-${onnxSha.slice(0, 12)}`,
    createdBy: run.command,
    seed: run.seed,
    data: { file: path.basename(run.dataFile), sha256, rows: rows.length, residuals: fit.bins.reduce((a, b) => a + b.n, 0) },
    featureVersion: FEATURE_VERSION,
    featureNames: [...FEATURE_NAMES],
    sizeOffsetMm: SIZE_OFFSET_MM,
    target: "quantiles of log((diameter at horizon + c) / (last diameter + c)), c = sizeOffsetMm",
    method: "median = LOCF, or a damped trend after consecutive growth; q10/q90 = median + the calibration bin's residual quantiles",
    pointForecast: { rule: "damped trend", ...DAMPED_TREND },
    calibration: {
      method: CALIBRATION_METHOD,
      horizonEdgesWeeks: HORIZON_EDGES_WEEKS,
      changeBins: CHANGE_BINS,
      stableChange: STABLE_CHANGE,
      minBinExamples: MIN_BIN_EXAMPLES,
      bins: fit.bins,
    },
    io: {
      input: { name: ONNX_INPUT, shape: ["N", FEATURE_NAMES.length], dtype: "float32" },
      output: { name: ONNX_OUTPUT, shape: ["N", 3], dtype: "float32", columns: ["q10", "q50", "q90"] },
    },
    onnx: { file: MODEL_FILE, sha256: onnxSha, opset: ONNX_OPSET, irVersion: ONNX_IR_VERSION },
    params,
    inSampleBenchmark: {
      protocol: "rows with readings >= 6, last 2 held out (in-sample: these rows were also fitted on)",
      model: errorsByStudy(cases, inSample),
      locf: errorsByStudy(cases, locfForecasts(cases)),
    },
    crossValidation: {
      protocol: "leave-one-study-out: fit on the other studies, score readings >= 6 rows, last 2 held out; baseline = LOCF x quantiles of log((d+2)/(d_last+2)) per step from the other studies",
      perStudy: calibrationTable(cases, cv.forecasts, baseline.forecasts),
      grown: [2, 3].map((k) => grownSubset(cases, cv.forecasts, k)),
    },
  };
  await mkdir(run.outDir, { recursive: true });
  await writeFile(path.join(run.outDir, MODEL_FILE), bytes);
  await writeFile(path.join(run.outDir, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
  return { card, seconds };
}
