import { quantileSorted } from "simple-statistics";
import { FEATURE_NAMES, FEATURE_VERSION, growthFeatures, logSize } from "../domain/growth/features.ts";
import { BIN_NAMES, CHANGE_BINS } from "../domain/growth/calibration-bins.ts";
import type { QuantileModelParams } from "../domain/growth/quantile-model.ts";
import type { GrowthRow } from "./data.ts";

/**
 * Mondrian (binned split-conformal) calibration of the growth forecast: in each bin of
 * horizon x last change, the 10 % and 90 % quantiles of the residual
 * log((d_h + c) / (forecast + c)) over every history prefix (>= 2 scans) of the training
 * rows and its next 2 scans. Deterministic: quantiles of sorted residuals, no sampling.
 */
export const CALIBRATION_METHOD =
  "Mondrian quantiles: per bin of horizon (<= 9, <= 18, > 18 weeks) x last change (down / stable / up, |log ratio| 0.05), " +
  "10 % and 90 % quantiles of log((d_h + c) / (forecast + c)), c = 2 mm, over every history prefix of the training rows and its next 2 scans; " +
  "forecast = LOCF, or a damped trend after 2 intervals of growth";
/** A bin with fewer residuals takes the quantiles of its horizon bin, or of all bins if that is short too. */
export const MIN_BIN_EXAMPLES = 100;
const STEPS_AHEAD = 2;
const LEVELS = [0.1, 0.9] as const;

export interface CalibrationBinFit {
  bin: string;
  n: number;
  lo: number;
  hi: number;
  /** Whose residuals gave the quantiles: its own, its horizon bin's, or all bins' (too few of its own). */
  from: "bin" | "horizon" | "all";
}

/** Residuals of every prefix of every row, grouped by calibration bin index. */
function residualsByBin(rows: readonly GrowthRow[]): number[][] {
  const out: number[][] = BIN_NAMES.map(() => []);
  for (const r of rows) {
    const n = r.diamMm.length;
    for (let k = 2; k < n; k++) {
      const history = { timesDays: r.timesDays.slice(0, k), sizesMm: r.diamMm.slice(0, k) };
      const last = r.diamMm[k - 1]!;
      for (let j = k; j < Math.min(n, k + STEPS_AHEAD); j++) {
        const x = growthFeatures(history, r.timesDays[j]! - r.timesDays[k - 1]!);
        const bin = x.subarray(2).indexOf(1);
        out[bin]!.push(logSize(r.diamMm[j]!) - logSize(last) - x[1]!);
      }
    }
  }
  return out;
}

const quantilesOf = (values: number[]): [number, number] => {
  const sorted = [...values].sort((a, b) => a - b);
  return [quantileSorted(sorted, LEVELS[0]), quantileSorted(sorted, LEVELS[1])];
};

/** Fits the bins on `rows` and writes them as the linear heads the ONNX graph evaluates. */
export function fitCalibratedModel(rows: readonly GrowthRow[]): { params: QuantileModelParams; bins: CalibrationBinFit[] } {
  const byBin = residualsByBin(rows);
  const width = CHANGE_BINS.length;
  const all = byBin.flat();
  if (all.length === 0) throw new Error("calibration: no training residuals (rows need >= 3 scans)");
  const bins = byBin.map((values, i): CalibrationBinFit => {
    const horizon = byBin.slice(i - (i % width), i - (i % width) + width).flat();
    const from = values.length >= MIN_BIN_EXAMPLES ? "bin" : horizon.length >= MIN_BIN_EXAMPLES ? "horizon" : "all";
    const [lo, hi] = quantilesOf(from === "bin" ? values : from === "horizon" ? horizon : all);
    return { bin: BIN_NAMES[i]!, n: values.length, lo, hi, from };
  });
  // q = trend + [lo, 0, hi] of the forecast's bin; the horizon feature carries no weight.
  const weights = FEATURE_NAMES.map((name, f): [number, number, number] => {
    if (name === "trend_log_ratio") return [1, 1, 1];
    const b = bins[f - 2];
    return b ? [b.lo, 0, b.hi] : [0, 0, 0];
  });
  return {
    params: { featureVersion: FEATURE_VERSION, featureNames: [...FEATURE_NAMES], quantiles: [0.1, 0.5, 0.9], weights, bias: [0, 0, 0] },
    bins,
  };
}
