import { baselineQuantiles, BASELINE_VERSION } from "./baseline.ts";
import { POPULATION_CALIBRATION, scaleQuantiles, type IntervalCalibration } from "./cohort-calibration.ts";
import { growthFeatures, logSize, SIZE_OFFSET_MM } from "./features.ts";
import { fitGrowthModel, locfMm, type SizeSeries } from "./fit.ts";
import { GROWTH_MODEL_NAMES, type GrowthModelName } from "./models.ts";
import type { GrowthPredictor } from "./predictor.ts";
import { progressionProbability } from "./progression.ts";
import type { LogRatioQuantiles } from "./quantile-model.ts";

/** Predicted size of one series (a lesion track or a sum of diameters) at one future time. */
export interface Forecast {
  /** Days after the last scan. */
  horizonDays: number;
  /** Absolute time on the series' day axis (last scan time + horizon). */
  timeDays: number;
  predMm: number;
  /** 10 % and 90 % quantiles: an 80 % interval (mm). */
  q10Mm: number;
  q90Mm: number;
  /** P(size >= max(1.2 nadir, nadir + 5 mm)): RECIST 1.1 progression against the nadir so far. */
  pProgression: number;
  method: "model" | "baseline";
  modelVersion: string;
  /** Comparators at the same time (mm); a classical model is null when it cannot be fitted. */
  baselines: { locf: number; [model: string]: number | null };
  /** Which calibration gave the interval and P(PD). */
  calibration: IntervalCalibration;
  /** Why the forecast is not the model's (e.g. a single scan). */
  note?: string;
}

export interface ForecastOptions {
  /** Classical models computed beside the forecast. Default: all of models.ts. */
  classicalModels?: readonly GrowthModelName[];
  /** Iteration cap of each classical fit (default 500, as the benchmark uses); the service lowers it for latency. */
  maxIterations?: number;
  /** The cohort's recalibration (cohortCalibration); default the population's. */
  calibration?: IntervalCalibration;
}

/** Maps a log-ratio quantile back to mm of diameter (never below 0). */
export function logRatioToMm(q: number, lastMm: number): number {
  // "No change" must give back the last size exactly, not up to rounding through exp/log.
  if (q === 0) return Math.max(0, lastMm);
  return Math.max(0, Math.exp(q + logSize(lastMm)) - SIZE_OFFSET_MM);
}

const FALLBACK: IntervalCalibration = { source: "fallback", scale: 1, scoredForecasts: 0 };
const SINGLE_SCAN_NOTE = "single scan: last value carried forward with a doubled baseline interval";

/**
 * Forecasts every series at its horizons (days after its last scan) with one batched
 * predictor call. Series with one scan get LOCF with a wide interval (method "baseline",
 * with a note); empty series get no forecasts.
 */
export async function forecastSeries(
  series: readonly SizeSeries[],
  horizonsDays: readonly (readonly number[])[],
  predictor: GrowthPredictor,
  options: ForecastOptions = {},
): Promise<Forecast[][]> {
  const rows: Float32Array[] = [];
  series.forEach((s, i) => {
    if (s.sizesMm.length < 2) return;
    for (const h of horizonsDays[i] ?? []) rows.push(growthFeatures(s, h));
  });
  const predicted = rows.length > 0 ? await predictor.predict(rows) : [];
  let next = 0;
  const models = options.classicalModels ?? GROWTH_MODEL_NAMES;
  const cohort = options.calibration ?? POPULATION_CALIBRATION;
  return series.map((s, i) => {
    const n = s.sizesMm.length;
    if (n === 0) return [];
    const last = locfMm(s);
    const nadir = Math.min(...s.sizesMm);
    const tLast = s.timesDays[n - 1] ?? 0;
    const fits = models.map((m) => [m, fitGrowthModel(m, s, options.maxIterations)] as const);
    return (horizonsDays[i] ?? []).map((h): Forecast => {
      const single = n < 2;
      const raw: LogRatioQuantiles = single ? baselineQuantiles(h, 2) : (predicted[next++] ?? baselineQuantiles(h, 2));
      const calibration = single ? FALLBACK : cohort.source === "cohort" ? cohort : predictor.kind === "baseline" ? FALLBACK : POPULATION_CALIBRATION;
      const q = scaleQuantiles(raw, calibration.scale);
      const timeDays = tLast + h;
      const baselines: Forecast["baselines"] = { locf: last };
      for (const [m, fit] of fits) baselines[m] = fit ? fit.predictMm(timeDays) : null;
      return {
        horizonDays: h,
        timeDays,
        predMm: logRatioToMm(q.q50, last),
        q10Mm: logRatioToMm(q.q10, last),
        q90Mm: logRatioToMm(q.q90, last),
        pProgression: progressionProbability(q, last, nadir),
        method: single || predictor.kind === "baseline" ? "baseline" : "model",
        modelVersion: single ? BASELINE_VERSION : predictor.version,
        baselines,
        calibration,
        ...(single ? { note: SINGLE_SCAN_NOTE } : {}),
      };
    });
  });
}
