import { baselineQuantiles, BASELINE_VERSION } from "../domain/growth/baseline.ts";
import { FEATURE_NAMES } from "../domain/growth/features.ts";
import type { GrowthPredictor } from "../domain/growth/predictor.ts";

const HORIZON_INDEX = FEATURE_NAMES.indexOf("horizon_years");

/**
 * The fallback predictor (no model file, or a runtime without onnxruntime such as Workers):
 * last value carried forward with an interval widening with the horizon. Pure.
 */
export function createBaselinePredictor(): GrowthPredictor {
  return {
    version: BASELINE_VERSION,
    kind: "baseline",
    predict: (rows) => Promise.resolve(rows.map((x) => baselineQuantiles((x[HORIZON_INDEX] ?? 0) * 365.25))),
  };
}
