/**
 * Classical tumour growth models (as in TumorGrowth.jl / Ghaffari Laleh et al. 2022). Each
 * acts on a volume-like size V = d^3 and is fitted on diameters d = cbrt(V) in mm, so the
 * least-squares residual is in mm. t is days since the first scan; rates are per day.
 */

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
  if (Math.abs(lambda) < 1e-6) return vInf * Math.exp(Math.log(v0 / vInf) * Math.exp(-omega * t));
  const base = 1 + (Math.pow(v0 / vInf, lambda) - 1) * Math.exp(-omega * t);
  return base > 0 ? vInf * Math.pow(base, 1 / lambda) : lambda > 0 ? 0 : Infinity;
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
    diameterMm: ([d0, g], t) => toDiameter(cube(d0!) * Math.exp(g! * t)),
    starts: (first) => [[Math.max(first, 0.5), 0], [Math.max(first, 0.5), -0.005], [Math.max(first, 0.5), 0.005]],
  },
  logistic: {
    name: "logistic",
    params: ["d0Mm", "dInfMm", "r"],
    min: [0, 0.01, 0],
    max: [MAX_MM, MAX_MM, RATE],
    diameterMm: ([d0, dInf, r], t) => toDiameter(bertalanffyVolume(cube(d0!), cube(dInf!), r!, -1, t)),
    starts: saturating,
  },
  gompertz: {
    name: "gompertz",
    params: ["d0Mm", "dInfMm", "r"],
    min: [0, 0.01, 0],
    max: [MAX_MM, MAX_MM, RATE],
    diameterMm: ([d0, dInf, r], t) => toDiameter(bertalanffyVolume(cube(d0!), cube(dInf!), r!, 0, t)),
    starts: saturating,
  },
  classicalBertalanffy: {
    name: "classicalBertalanffy",
    params: ["d0Mm", "dInfMm", "r"],
    min: [0, 0.01, 0],
    max: [MAX_MM, MAX_MM, RATE],
    diameterMm: ([d0, dInf, r], t) => toDiameter(bertalanffyVolume(cube(d0!), cube(dInf!), r!, 1 / 3, t)),
    starts: saturating,
  },
  generalBertalanffy: {
    name: "generalBertalanffy",
    params: ["d0Mm", "dInfMm", "omega", "lambda"],
    min: [0, 0.01, 0, -1],
    max: [MAX_MM, MAX_MM, RATE, 1],
    diameterMm: ([d0, dInf, w, l], t) => toDiameter(bertalanffyVolume(cube(d0!), cube(dInf!), w!, l!, t)),
    starts: (first, last, largest) => saturating(first, last, largest).map((s) => [...s, 1 / 3]),
  },
  steinFojo: {
    name: "steinFojo",
    params: ["d0Mm", "d", "g"],
    min: [0, 0, 0],
    max: [MAX_MM, RATE, RATE],
    // Growth-regression: V0 (exp(-d t) + exp(g t) - 1), a shrinking sensitive and a growing resistant part.
    diameterMm: ([d0, d, g], t) => toDiameter(cube(d0!) * (Math.exp(-d! * t) + Math.exp(g! * t) - 1)),
    starts: (first) => [
      [Math.max(first, 0.5), 0.01, 0.001],
      [Math.max(first, 0.5), 0.001, 0.005],
      [Math.max(first, 0.5), 0.03, 0.01],
    ],
  },
};

export const GROWTH_MODEL_NAMES = Object.keys(GROWTH_MODELS) as GrowthModelName[];
