import { FEATURE_NAMES, FEATURE_VERSION } from "../domain/growth/features.ts";
import type { QuantileModelParams } from "../domain/growth/quantile-model.ts";
import { fitQuantile, type QuantileFit } from "./quantile-regression.ts";
import type { GrowthExample } from "./examples.ts";

export const QUANTILES = [0.1, 0.5, 0.9] as const;

export interface TrainOptions {
  /** Ridge strength of the median head (standardised slopes). */
  lambdaMedian?: number;
  /** Ridge strength of the q10/q90 heads. */
  lambdaTails?: number;
  /** Pinball levels the two tail heads are fitted at (nominal 0.1 / 0.9). */
  tailLevels?: readonly [number, number];
}

/** Defaults chosen by leave-one-study-out on laleh2022_train.csv (see the model card). */
export const DEFAULT_TRAIN_OPTIONS: Required<TrainOptions> = {
  lambdaMedian: 100,
  lambdaTails: 0.02,
  // Fitted slightly wider than nominal: at 0.1/0.9, held-out studies were covered 77 % of the time.
  tailLevels: [0.09, 0.91],
};

export interface TrainResult {
  params: QuantileModelParams;
  heads: QuantileFit[];
}

/**
 * Fits the three quantile heads on standardised features, then folds the standardisation
 * into the weights so the exported graph takes raw features. Deterministic: no sampling.
 */
export function trainQuantileModel(examples: readonly GrowthExample[], options: TrainOptions = {}): TrainResult {
  const f = FEATURE_NAMES.length;
  const sw = examples.reduce((a, e) => a + e.weight, 0);
  const mean = new Array<number>(f).fill(0);
  const scale = new Array<number>(f).fill(0);
  for (const e of examples) for (let k = 0; k < f; k++) mean[k]! += (e.weight * e.x[k]!) / sw;
  for (const e of examples) for (let k = 0; k < f; k++) scale[k]! += (e.weight * (e.x[k]! - mean[k]!) ** 2) / sw;
  for (let k = 0; k < f; k++) scale[k] = Math.sqrt(scale[k]!) || 1;
  const xs = examples.map((e) => Array.from(e.x, (v, k) => (v - mean[k]!) / scale[k]!));
  const ys = examples.map((e) => e.y);
  const ws = examples.map((e) => e.weight);
  const o = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  // The median head is shrunk as a whole (intercept too) toward 0 = last value carried forward.
  const heads = [
    fitQuantile(xs, ys, { tau: o.tailLevels[0], lambda: o.lambdaTails }, ws),
    fitQuantile(xs, ys, { tau: 0.5, lambda: o.lambdaMedian, penalizeIntercept: true }, ws),
    fitQuantile(xs, ys, { tau: o.tailLevels[1], lambda: o.lambdaTails }, ws),
  ];
  const weights = FEATURE_NAMES.map((_, k) => heads.map((h) => (h.weights[k] ?? 0) / scale[k]!) as [number, number, number]);
  const bias = heads.map((h) => h.intercept - h.weights.reduce((a, w, k) => a + (w * mean[k]!) / scale[k]!, 0)) as [
    number,
    number,
    number,
  ];
  return {
    params: { featureVersion: FEATURE_VERSION, featureNames: [...FEATURE_NAMES], quantiles: [...QUANTILES], weights, bias },
    heads,
  };
}
