import { quantileSorted, sum } from "simple-statistics";
import { solveLinear } from "../domain/growth/levenberg-marquardt.ts";

/**
 * Linear quantile regression with a ridge penalty, fitted by Newton's method on a smoothed
 * pinball loss rho(r) = tau r + delta log(1 + exp(-r / delta)) (convex; pinball as delta -> 0).
 * The penalty pulls every slope toward 0, i.e. the forecast toward "no change" (LOCF).
 */

export interface QuantileFitOptions {
  /** Quantile level in (0, 1). */
  tau: number;
  /** Ridge strength per example on standardised slopes (intercept unpenalised). Default 0.05. */
  lambda?: number;
  /** Smoothing width of the pinball loss, in target units (log ratio). Default 0.01. */
  delta?: number;
  /** Also pull the intercept toward `interceptPrior` (shrinks the head toward a fixed answer). Default false. */
  penalizeIntercept?: boolean;
  interceptPrior?: number;
  /** Newton iterations at most. Default 100. */
  maxIterations?: number;
}

export interface QuantileFit {
  intercept: number;
  /** Slopes on standardised features. */
  weights: number[];
  iterations: number;
  converged: boolean;
  /** Mean pinball loss (unsmoothed) on the training examples. */
  pinball: number;
}

const softplus = (x: number): number => (x > 30 ? x : Math.log1p(Math.exp(x)));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Pinball (check) loss of residual r = y - q at level tau. */
export function pinball(r: number, tau: number): number {
  return r >= 0 ? tau * r : (tau - 1) * r;
}

/** Solves A x = b for the small Newton systems here (the fitter's elimination); throws if singular. */
export function solve(a: number[][], b: number[]): number[] {
  const x = solveLinear(a, b);
  if (!x) throw new Error("solve: singular matrix");
  return x;
}

/**
 * Fits q_tau(y | x) = intercept + weights . x on standardised features x (rows of equal
 * length), with example weights w (default 1).
 */
export function fitQuantile(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: QuantileFitOptions,
  exampleWeights?: readonly number[],
): QuantileFit {
  const { tau } = options;
  const lambda = options.lambda ?? 0.05;
  const delta = options.delta ?? 0.01;
  const maxIterations = options.maxIterations ?? 100;
  const prior = options.interceptPrior ?? 0;
  const interceptPenalty = (b0: number): number => (options.penalizeIntercept ? lambda * (b0 - prior) ** 2 : 0);
  const n = y.length;
  const p = (x[0]?.length ?? 0) + 1;
  const sw = exampleWeights ? sum(exampleWeights as number[]) : n;
  const row = (i: number): number[] => [1, ...(x[i] ?? [])];
  const objective = (beta: number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const xi = row(i);
      const r = (y[i] ?? 0) - xi.reduce((a, v, k) => a + v * (beta[k] ?? 0), 0);
      s += (exampleWeights?.[i] ?? 1) * (tau * r + delta * softplus(-r / delta));
    }
    return s / sw + lambda * beta.slice(1).reduce((a, v) => a + v * v, 0) + interceptPenalty(beta[0] ?? 0);
  };
  // Start at the unconditional quantile, then Newton steps with backtracking.
  const sorted = [...y].sort((a, b) => a - b);
  let beta = new Array<number>(p).fill(0);
  beta[0] = n > 0 ? quantileSorted(sorted, tau) : 0;
  let f = objective(beta);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && !converged; iterations++) {
    const g = new Array<number>(p).fill(0);
    const h = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let i = 0; i < n; i++) {
      const xi = row(i);
      const wi = (exampleWeights?.[i] ?? 1) / sw;
      const r = (y[i] ?? 0) - xi.reduce((a, v, k) => a + v * (beta[k] ?? 0), 0);
      const psi = tau - sigmoid(-r / delta);
      const curv = (sigmoid(r / delta) * sigmoid(-r / delta)) / delta;
      for (let a = 0; a < p; a++) {
        g[a]! -= wi * psi * xi[a]!;
        for (let b = 0; b <= a; b++) h[a]![b]! += wi * curv * xi[a]! * xi[b]!;
      }
    }
    for (let a = 0; a < p; a++) {
      for (let b = 0; b < a; b++) h[b]![a] = h[a]![b]!;
      if (a > 0) {
        g[a]! += 2 * lambda * beta[a]!;
        h[a]![a]! += 2 * lambda;
      } else if (options.penalizeIntercept) {
        g[0]! += 2 * lambda * (beta[0]! - prior);
        h[0]![0]! += 2 * lambda;
      }
      h[a]![a]! += 1e-9;
    }
    const step = solve(h, g);
    let t = 1;
    let next = beta;
    let fNext = f;
    for (let k = 0; k < 30; k++, t /= 2) {
      next = beta.map((v, i) => v - t * (step[i] ?? 0));
      fNext = objective(next);
      if (fNext <= f) break;
    }
    converged = f - fNext < 1e-10;
    if (fNext <= f) {
      beta = next;
      f = fNext;
    }
  }
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const r = (y[i] ?? 0) - row(i).reduce((a, v, k) => a + v * (beta[k] ?? 0), 0);
    loss += (exampleWeights?.[i] ?? 1) * pinball(r, tau);
  }
  return { intercept: beta[0] ?? 0, weights: beta.slice(1), iterations, converged, pinball: loss / sw };
}
