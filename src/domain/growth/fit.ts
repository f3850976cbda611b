import { levenbergMarquardtCurve, type LmResult } from "./levenberg-marquardt.ts";
import { GROWTH_MODELS, type GrowthModelName } from "./models.ts";
import { recistProgressionThresholdMm } from "./progression.ts";

/** A size series: times in days (non-decreasing), diameters in mm (0 = not measurable). */
export interface SizeSeries {
  timesDays: readonly number[];
  sizesMm: readonly number[];
}

/** Outcome of one per-series fit, with how the optimiser went. */
export interface GrowthFit {
  model: GrowthModelName;
  params: Record<string, number>;
  /** Root-mean-square residual of the fit, mm of diameter. */
  rmseMm: number;
  iterations: number;
  converged: boolean;
  /** Day of the first scan (t = 0 of the model). */
  originDays: number;
  /** Fitted diameter (mm) at an absolute time in days. */
  predictMm(timeDays: number): number;
}

/** Fits one classical model by bounded least squares on diameters; null if too few points. */
export function fitGrowthModel(name: GrowthModelName, series: SizeSeries, maxIterations = 500): GrowthFit | null {
  const model = GROWTH_MODELS[name];
  const n = series.sizesMm.length;
  if (n < model.params.length || n !== series.timesDays.length) return null;
  const origin = series.timesDays[0] ?? 0;
  const x = series.timesDays.map((t) => t - origin);
  const y = [...series.sizesMm];
  const first = y[0] ?? 0;
  const last = y[n - 1] ?? 0;
  let largest = -Infinity;
  for (const v of y) largest = Math.max(largest, v);
  // One evaluator for all starts: its cached rate exponentials belong to these times.
  const curve = model.curve(x);
  const options = { min: model.min, max: model.max, maxIterations };
  let best: LmResult | null = null;
  for (const start of model.starts(first, last, largest)) {
    const r = levenbergMarquardtCurve(curve, y, start, options);
    if (!best || r.sse < best.sse) best = r;
  }
  if (!best || !Number.isFinite(best.sse)) return null;
  const p = best.params;
  return {
    model: name,
    params: Object.fromEntries(model.params.map((k, i) => [k, p[i] ?? NaN])),
    rmseMm: Math.sqrt(best.sse / n),
    iterations: best.iterations,
    converged: best.converged,
    originDays: origin,
    predictMm: (t) => Math.max(0, model.diameterMm(p, t - origin)),
  };
}

/** Last observation carried forward: the forecast every model is compared with. */
export function locfMm(series: SizeSeries): number {
  return series.sizesMm[series.sizesMm.length - 1] ?? NaN;
}

/** Quantities clinicians read off a fit. Rates /day on volume; times in days. */
export interface DerivedGrowth {
  /** Regrowth rate g (Stein-Fojo g, else exponential g), /day. */
  growthRatePerDay: number | null;
  /** Decay rate d of Stein-Fojo, /day. */
  decayRatePerDay: number | null;
  /** Volume doubling time ln 2 / g in days (null unless g > 0). */
  doublingTimeDays: number | null;
  /** Days after the last scan until the fit first reaches max(1.2 nadir, nadir + 5 mm); null if not within the search span. */
  daysToProgression: number | null;
}

/**
 * Searches forward from the last scan, weekly up to `spanDays` (default 3 years), then
 * bisects to 0.1 day, for the first time the fitted size meets the RECIST threshold.
 */
export function daysToThreshold(fit: GrowthFit, series: SizeSeries, spanDays = 3 * 365): number | null {
  const tLast = series.timesDays[series.timesDays.length - 1] ?? 0;
  const threshold = recistProgressionThresholdMm(Math.min(...series.sizesMm));
  let prev = 0;
  for (let dt = 0; dt <= spanDays; dt += 7) {
    if (fit.predictMm(tLast + dt) >= threshold) {
      if (dt === 0) return 0;
      let lo = prev;
      let hi = dt;
      while (hi - lo > 0.1) {
        const mid = (lo + hi) / 2;
        if (fit.predictMm(tLast + mid) >= threshold) hi = mid;
        else lo = mid;
      }
      return hi;
    }
    prev = dt;
  }
  return null;
}

/** Derived quantities from the Stein-Fojo fit (preferred) or the exponential fit. */
export function deriveGrowth(series: SizeSeries): DerivedGrowth {
  const sf = fitGrowthModel("steinFojo", series);
  const ex = sf ? null : fitGrowthModel("exponential", series);
  const fit = sf ?? ex;
  const g = sf ? (sf.params.g ?? null) : ex ? (ex.params.g ?? null) : null;
  return {
    growthRatePerDay: g,
    decayRatePerDay: sf ? (sf.params.d ?? null) : null,
    doublingTimeDays: g !== null && g > 0 ? Math.LN2 / g : null,
    daysToProgression: fit ? daysToThreshold(fit, series) : null,
  };
}
