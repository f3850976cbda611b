/**
 * The port between the forecast and whatever runs the model (onnxruntime in Node, the pure
 * fallback elsewhere). Outputs are quantiles of log((size at horizon + c) / (last size + c)),
 * c = SIZE_OFFSET_MM of features.ts; 0 means "no change" (last value carried forward).
 */
import type { LogRatioQuantiles } from "./quantile-model.ts";

export interface GrowthPredictor {
  /** Model version (card id) or "baseline-v1"; every forecast repeats it. */
  readonly version: string;
  readonly kind: "onnx" | "baseline";
  /** One output per input row, rows being growthFeatures(...) vectors of FEATURE_VERSION. */
  predict(rows: Float32Array[]): Promise<LogRatioQuantiles[]>;
}
