/**
 * The trained population model as plain numbers, and its reference evaluation in
 * TypeScript. The ONNX graph (src/train/onnx-export.ts) computes exactly this, so the two
 * can be compared and the TypeScript version serves wherever onnxruntime cannot run.
 */

/** Output of the model: quantiles of log((size at horizon + c) / (last size + c)). */
export interface LogRatioQuantiles {
  q10: number;
  q50: number;
  q90: number;
}

/** Linear quantile heads on raw features: raw[q] = bias[q] + sum_f x[f] * weights[f][q]. */
export interface QuantileModelParams {
  featureVersion: string;
  featureNames: readonly string[];
  /** Quantile levels of the three heads, ascending: [0.1, 0.5, 0.9]. */
  quantiles: readonly [number, number, number];
  /** weights[f] = [w_q10, w_q50, w_q90] for feature f (already divided by its scale). */
  weights: readonly (readonly [number, number, number])[];
  bias: readonly [number, number, number];
}

/**
 * Evaluates the heads and uncrosses them around the median:
 * q10 = min(raw10, q50), q90 = max(raw90, q50) (the ONNX graph does this with Relu).
 */
export function evaluateQuantileModel(params: QuantileModelParams, x: ArrayLike<number>): LogRatioQuantiles {
  if (x.length !== params.weights.length) {
    throw new Error(`quantile model: expected ${params.weights.length} features, got ${x.length}`);
  }
  const raw = [params.bias[0], params.bias[1], params.bias[2]];
  for (let f = 0; f < x.length; f++) {
    const w = params.weights[f]!;
    const v = x[f]!;
    raw[0]! += v * w[0];
    raw[1]! += v * w[1];
    raw[2]! += v * w[2];
  }
  const q50 = raw[1]!;
  return { q10: Math.min(raw[0]!, q50), q50, q90: Math.max(raw[2]!, q50) };
}
