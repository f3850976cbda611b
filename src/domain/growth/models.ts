/**
 * Classical tumour growth models (as in TumorGrowth.jl / Ghaffari Laleh et al. 2022). Each
 * acts on a volume-like size V = d^3 and is fitted on diameters d = cbrt(V) in mm, so the
 * least-squares residual is in mm. t is days since the first scan; rates are per day.
 */

import type { CurveEvaluator } from "./levenberg-marquardt.ts";

export type GrowthModelName =
  | "exponential"
  | "logistic"
  | "gompertz"
  | "classicalBertalanffy"
  | "generalBertalanffy"
  | "steinFojo";

export interface GrowthModel {
  name: GrowthModelName;
  /** Parameter names in order: d0Mm (diameter at t = 0), dInfMm (carrying size), rates /day. */
  params: readonly string[];
  /** Box bounds used by the fit, documented here once. */
  min: readonly number[];
  max: readonly number[];
  /** Diameter (mm) at t days after the first scan. */
  diameterMm(p: readonly number[], tDays: number): number;
  /**
   * The same diameters at every one of `tDays` (not to be changed afterwards) at once, for
   * the fit: equal to diameterMm bit for bit, but the exponentials exp(rate t) are kept
   * between calls with the same rate (most finite-difference probes move a size, not a rate).
   */
  curve(tDays: readonly number[]): CurveEvaluator;
  /** Starting points tried by the fit, given first / last / largest observed diameters. */
  starts(first: number, last: number, largest: number): number[][];
}

const cube = (d: number): number => d * d * d;
const toDiameter = (v: number): number => (v > 0 && Number.isFinite(v) ? Math.cbrt(v) : v > 0 ? Infinity : 0);
/** Rates are bounded to +-0.1 /day (volume doubles or halves in >= 7 days). */
const RATE = 0.1;
const MAX_MM = 1000;

/** General Bertalanffy (Richards) volume; lambda = 1/3 classical, -1 logistic, 0 Gompertz. */
export function bertalanffyVolume(v0: number, vInf: number, omega: number, lambda: number, t: number): number {
  return bertalanffyAt(vInf, lambda, 1 / lambda, bertalanffyShape(v0, vInf, lambda), Math.exp(-omega * t));
}

/** The time-free part of bertalanffyVolume: log(v0 / vInf) for Gompertz, else (v0 / vInf)^lambda - 1. */
function bertalanffyShape(v0: number, vInf: number, lambda: number): number {
  return Math.abs(lambda) < 1e-6 ? Math.log(v0 / vInf) : Math.pow(v0 / vInf, lambda) - 1;
}

/** bertalanffyVolume from its shape term and the decay exp(-omega t); inverse = 1 / lambda. */
function bertalanffyAt(vInf: number, lambda: number, inverse: number, shape: number, decay: number): number {
  if (Math.abs(lambda) < 1e-6) return vInf * Math.exp(shape * decay);
  const base = 1 + shape * decay;
  return base > 0 ? vInf * Math.pow(base, inverse) : lambda > 0 ? 0 : Infinity;
}

/** Exponential model from V0 and exp(g t). */
const exponentialAt = (v0: number, growth: number): number => toDiameter(v0 * growth);

/** Stein-Fojo model from V0, exp(-d t) and exp(g t). */
const steinFojoAt = (v0: number, decay: number, growth: number): number => toDiameter(v0 * (decay + growth - 1));

/**
 * exp(sign * rate * t) at every t, recomputed only when the rate differs from the previous
 * call's: exp of the same argument is the same number, so the cache changes no result
 * (0 and -0 compare equal, and exp of either is 1).
 */
function rateExponential(tDays: readonly number[], sign: 1 | -1): (rate: number) => Float64Array {
  const values = new Float64Array(tDays.length);
  let cachedRate = NaN;
  return (rate) => {
    if (rate !== cachedRate) {
      const signed = sign * rate;
      for (let i = 0; i < tDays.length; i++) values[i] = Math.exp(signed * tDays[i]!);
      cachedRate = rate;
    }
    return values;
  };
}

/** Curve of a Bertalanffy-family model with a fixed lambda (params d0, dInf, rate) or a fitted one (4th param). */
function bertalanffyCurve(fixedLambda: number | null): (tDays: readonly number[]) => CurveEvaluator {
  return (tDays) => {
    const decayOf = rateExponential(tDays, -1);
    return (p, out) => {
      const vInf = cube(p[1]!);
      const lambda = fixedLambda ?? p[3]!;
      const shape = bertalanffyShape(cube(p[0]!), vInf, lambda);
      const inverse = 1 / lambda;
      const decay = decayOf(p[2]!);
      for (let i = 0; i < out.length; i++) out[i] = toDiameter(bertalanffyAt(vInf, lambda, inverse, shape, decay[i]!));
    };
  };
}

const saturating = (first: number, last: number, largest: number): number[][] => [
  [Math.max(first, 0.5), Math.max(last, 0.5), 0.01],
  [Math.max(first, 0.5), Math.max(largest * 1.5, 1), 0.005],
  [Math.max(first, 0.5), Math.max(last * 0.5, 0.5), 0.02],
];

export const GROWTH_MODELS: Record<GrowthModelName, GrowthModel> = {
  exponential: {
    name: "exponential",
    params: ["d0Mm", "g"],
    min: [0, -RATE],
    max: [MAX_MM, RATE],
    diameterMm: (p, t) => exponentialAt(cube(p[0]!), Math.exp(p[1]! * t)),
    curve: (tDays) => {
      const growthOf = rateExponential(tDays, 1);
      return (p, out) => {
        const v0 = cube(p[0]!);
        const growth = growthOf(p[1]!);
        for (let i = 0; i < out.length; i++) out[i] = exponentialAt(v0, growth[i]!);
      };
    },
    starts: (first) => [[Math.max(first, 0.5), 0], [Math.max(first, 0.5), -0.005], [Math.max(first, 0.5), 0.005]],
  },
  logistic: {
    name: "logistic",
    params: ["d0Mm", "dInfMm", "r"],
    min: [0, 0.01, 0],
    max: [MAX_MM, MAX_MM, RATE],
    diameterMm: (p, t) => toDiameter(bertalanffyVolume(cube(p[0]!), cube(p[1]!), p[2]!, -1, t)),
    curve: bertalanffyCurve(-1),
    starts: saturating,
  },
  gompertz: {
    name: "gompertz",
    params: ["d0Mm", "dInfMm", "r"],
    min: [0, 0.01, 0],
    max: [MAX_MM, MAX_MM, RATE],
    diameterMm: (p, t) => toDiameter(bertalanffyVolume(cube(p[0]!), cube(p[1]!), p[2]!, 0, t)),
    curve: bertalanffyCurve(0),
    starts: saturating,
  },
  classicalBertalanffy: {
    name: "classicalBertalanffy",
    params: ["d0Mm", "dInfMm", "r"],
    min: [0, 0.01, 0],
    max: [MAX_MM, MAX_MM, RATE],
    diameterMm: (p, t) => toDiameter(bertalanffyVolume(cube(p[0]!), cube(p[1]!), p[2]!, 1 / 3, t)),
    curve: bertalanffyCurve(1 / 3),
    starts: saturating,
  },
  generalBertalanffy: {
    name: "generalBertalanffy",
    params: ["d0Mm", "dInfMm", "omega", "lambda"],
    min: [0, 0.01, 0, -1],
    max: [MAX_MM, MAX_MM, RATE, 1],
    diameterMm: (p, t) => toDiameter(bertalanffyVolume(cube(p[0]!), cube(p[1]!), p[2]!, p[3]!, t)),
    curve: bertalanffyCurve(null),
    starts: (first, last, largest) => saturating(first, last, largest).map((s) => [...s, 1 / 3]),
  },
  steinFojo: {
    name: "steinFojo",
    params: ["d0Mm", "d", "g"],
    min: [0, 0, 0],
    max: [MAX_MM, RATE, RATE],
    // Growth-regression: V0 (exp(-d t) + exp(g t) - 1), a shrinking sensitive and a growing resistant part.
    diameterMm: (p, t) => steinFojoAt(cube(p[0]!), Math.exp(-p[1]! * t), Math.exp(p[2]! * t)),
    curve: (tDays) => {
      const decayOf = rateExponential(tDays, -1);
      const growthOf = rateExponential(tDays, 1);
      return (p, out) => {
        const v0 = cube(p[0]!);
        const decay = decayOf(p[1]!);
        const growth = growthOf(p[2]!);
        for (let i = 0; i < out.length; i++) out[i] = steinFojoAt(v0, decay[i]!, growth[i]!);
      };
    },
    starts: (first) => [
      [Math.max(first, 0.5), 0.01, 0.001],
      [Math.max(first, 0.5), 0.001, 0.005],
      [Math.max(first, 0.5), 0.03, 0.01],
    ],
  },
};

export const GROWTH_MODEL_NAMES = Object.keys(GROWTH_MODELS) as GrowthModelName[];
