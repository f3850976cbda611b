import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { FEATURE_NAMES, FEATURE_VERSION, SIZE_OFFSET_MM } from "../domain/growth/features.ts";
import { evaluateQuantileModel, type QuantileModelParams } from "../domain/growth/quantile-model.ts";
import { CARD_FILE, MODEL_FILE, type GrowthModelCard } from "../forecast/model-card.ts";
import { leaveOneStudyOut } from "./cross-validate.ts";
import { readGrowthCsv } from "./data.ts";
import { benchCases, errorsByStudy, intervalSummary, locfForecasts, modelForecasts } from "./evaluate.ts";
import { buildExamples, type GrowthExample } from "./examples.ts";
import { exportQuantileModelOnnx, ONNX_INPUT, ONNX_IR_VERSION, ONNX_OPSET, ONNX_OUTPUT } from "./onnx-export.ts";
import { DEFAULT_TRAIN_OPTIONS, trainQuantileModel } from "./train-model.ts";
import { seededRandom } from "../domain/random.ts";

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const rand = seededRandom(seed); // fixes the example order
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

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

/** Trains on the whole file, writes growth.onnx + growth.card.json, returns the card. */
export async function runTraining(run: TrainRun): Promise<{ card: GrowthModelCard; seconds: number }> {
  const started = performance.now();
  const { rows, sha256 } = readGrowthCsv(run.dataFile);
  // The fit is convex and deterministic; the seed only fixes the order examples are summed in.
  const examples: GrowthExample[] = shuffled(buildExamples(rows), run.seed);
  const { params: raw, heads } = trainQuantileModel(examples);
  const params = toFloat32(raw);
  const bytes = exportQuantileModelOnnx(params, "log((d_h + c) / (d_last + c)) quantiles q10, q50, q90; c = 5 mm");
  const onnxSha = createHash("sha256").update(bytes).digest("hex");
  const cases = benchCases(rows);
  const inSample = await modelForecasts(cases, (x) => Promise.resolve(x.map((v) => evaluateQuantileModel(params, v))));
  const cv = await leaveOneStudyOut(rows);
  const seconds = (performance.now() - started) / 1000;
  const card: GrowthModelCard = {
    name: "growth quantile model",
    modelVersion: `growth-q-${onnxSha.slice(0, 12)}`,
    createdBy: run.command,
    seed: run.seed,
    data: { file: path.basename(run.dataFile), sha256, rows: rows.length, examples: examples.length },
    featureVersion: FEATURE_VERSION,
    featureNames: [...FEATURE_NAMES],
    sizeOffsetMm: SIZE_OFFSET_MM,
    target: "quantiles of log((diameter at horizon + c) / (last diameter + c)), c = sizeOffsetMm",
    method:
      "linear quantile regression (smoothed pinball, Newton), median head ridge-shrunk toward 0 = LOCF, tail heads at tailLevels",
    trainOptions: DEFAULT_TRAIN_OPTIONS,
    io: {
      input: { name: ONNX_INPUT, shape: ["N", FEATURE_NAMES.length], dtype: "float32" },
      output: { name: ONNX_OUTPUT, shape: ["N", 3], dtype: "float32", columns: ["q10", "q50", "q90"] },
    },
    onnx: { file: MODEL_FILE, sha256: onnxSha, opset: ONNX_OPSET, irVersion: ONNX_IR_VERSION },
    params,
    training: {
      heads: heads.map((h, i) => ({ head: ["q10", "q50", "q90"][i], iterations: h.iterations, converged: h.converged, pinball: h.pinball })),
      inSampleBenchmark: {
        protocol: "rows with readings >= 6, last 2 held out (in-sample: these rows were also trained on)",
        model: errorsByStudy(cases, inSample),
        locf: errorsByStudy(cases, locfForecasts(cases)),
        interval: intervalSummary(cases, inSample),
      },
    },
    crossValidation: {
      protocol: "leave-one-study-out; train on the other studies, score readings >= 6 rows, last 2 held out",
      model: cv.model,
      locf: cv.locf,
      interval: cv.interval,
    },
  };
  await mkdir(run.outDir, { recursive: true });
  await writeFile(path.join(run.outDir, MODEL_FILE), bytes);
  await writeFile(path.join(run.outDir, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
  return { card, seconds };
}
