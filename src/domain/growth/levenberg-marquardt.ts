/**
 * Bounded Levenberg-Marquardt least squares for small curve fits (a few parameters, tens of
 * points). Written here, rather than taken from ml-levenberg-marquardt, to report a real
 * convergence test (relative SSE change and step size), not only "iterations ran out".
 *
 * The service fits several curves on every study write, so the loop works in buffers
 * allocated once per call: no arrays are built per iteration, per parameter or per point.
 */

export interface LmOptions {
  /** Lower / upper bound per parameter; steps are clamped into the box. */
  min: readonly number[];
  max: readonly number[];
  /** Maximum iterations. Default 200. */
  maxIterations?: number;
  /** Converged when the relative SSE decrease of an accepted step is below this. Default 1e-8. */
  relativeTolerance?: number;
  /** Converged when no parameter moved by more than this relative amount. Default 1e-8. */
  stepTolerance?: number;
  /** Converged when SSE falls below this (an exact fit). Default 1e-12 * sum(y^2). */
  absoluteTolerance?: number;
  /** Initial damping (multiplies diag(J'J)). Default 1e-3. */
  damping?: number;
}

export interface LmResult {
  params: number[];
  /** Sum of squared residuals at the solution (units of y, squared). */
  sse: number;
  iterations: number;
  converged: boolean;
}

/**
 * The model at every data point for one parameter vector, written into `out`. Fitting a whole
 * curve per call lets a model compute parameter-only terms once, not once per point.
 * `params` is the fit's own buffer, perturbed in place between calls: read it, do not keep it.
 */
export type CurveEvaluator = (params: readonly number[], out: Float64Array) => void;

/**
 * Gauss-Jordan elimination with partial pivoting, in place on an n x (n + 1) row-major
 * augmented matrix; writes the solution into `out`. False if singular.
 */
function solveAugmentedInPlace(m: Float64Array, n: number, out: Float64Array): boolean {
  const w = n + 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * w + c]!) > Math.abs(m[p * w + c]!)) p = r;
    if (p !== c) {
      for (let k = 0; k < w; k++) {
        const t = m[c * w + k]!;
        m[c * w + k] = m[p * w + k]!;
        m[p * w + k] = t;
      }
    }
    const pivot = m[c * w + c]!;
    if (!(Math.abs(pivot) > 1e-300)) return false;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r * w + c]! / pivot;
      // Column c of the other rows is never read again, so elimination starts right of it.
      if (f !== 0) for (let k = c + 1; k < w; k++) m[r * w + k]! -= f * m[c * w + k]!;
    }
  }
  for (let i = 0; i < n; i++) out[i] = m[i * w + n]! / m[i * w + i]!;
  return true;
}

/** Solves a small dense linear system (Gaussian elimination with partial pivoting); null if singular. */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = new Float64Array(n * (n + 1));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[i * (n + 1) + j] = a[i]![j]!;
    m[i * (n + 1) + n] = b[i] ?? 0;
  }
  const x = new Float64Array(n);
  return solveAugmentedInPlace(m, n, x) ? Array.from(x) : null;
}

/** Minimises sum_i (y_i - f(params, x_i))^2 from `initial` inside the bounds (f must not keep `params`). */
export function levenbergMarquardt(
  f: (params: readonly number[], x: number) => number,
  x: readonly number[],
  y: readonly number[],
  initial: readonly number[],
  options: LmOptions,
): LmResult {
  const curve: CurveEvaluator = (p, out) => {
    for (let i = 0; i < x.length; i++) out[i] = f(p, x[i]!);
  };
  return levenbergMarquardtCurve(curve, y, initial, options);
}

/** Puts every parameter into its [min, max] box, in place. */
function clampInPlace(p: number[], min: readonly number[], max: readonly number[]): void {
  for (let j = 0; j < p.length; j++) p[j] = Math.min(max[j]!, Math.max(min[j]!, p[j]!));
}

/** Residuals y - model into `res`; returns their sum of squares, Infinity if not finite. */
function residuals(y: readonly number[], model: Float64Array, res: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const r = y[i]! - model[i]!;
    res[i] = r;
    s += r ** 2;
  }
  return Number.isFinite(s) ? s : Infinity;
}

/** Buffers of one fit, sized once: n points, k parameters. */
interface Workspace {
  model: Float64Array;
  up: Float64Array;
  down: Float64Array;
  /** Residuals at the current point and at the trial point (swapped on acceptance). */
  res: Float64Array;
  trialRes: Float64Array;
  /** n x k Jacobian of the model, row-major. */
  jac: Float64Array;
  jtj: Float64Array;
  jtr: Float64Array;
  /** k x (k + 1) damped normal equations, destroyed by the solve. */
  aug: Float64Array;
  step: Float64Array;
}

function workspace(n: number, k: number): Workspace {
  return {
    model: new Float64Array(n),
    up: new Float64Array(n),
    down: new Float64Array(n),
    res: new Float64Array(n),
    trialRes: new Float64Array(n),
    jac: new Float64Array(n * k),
    jtj: new Float64Array(k * k),
    jtr: new Float64Array(k),
    aug: new Float64Array(k * (k + 1)),
    step: new Float64Array(k),
  };
}

/** Central-difference Jacobian at p (p is perturbed and restored), then J'J and J'r. */
function normalEquations(curve: CurveEvaluator, p: number[], n: number, ws: Workspace): void {
  const k = p.length;
  const { up, down, jac, jtj, jtr, res } = ws;
  for (let j = 0; j < k; j++) {
    const v = p[j]!;
    const h = 1e-6 * Math.max(Math.abs(v), 1e-3);
    p[j] = v + h;
    curve(p, up);
    p[j] = v - h;
    curve(p, down);
    p[j] = v;
    for (let i = 0; i < n; i++) jac[i * k + j] = (up[i]! - down[i]!) / (2 * h);
  }
  // Sums run over points in order from 0, as a fold over the rows would.
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += jac[i * k + a]! * jac[i * k + b]!;
      jtj[a * k + b] = s;
      jtj[b * k + a] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += jac[i * k + a]! * res[i]!;
    jtr[a] = s;
  }
}

/** Damped system (J'J + mu diag(J'J) + 1e-12 I) step = J'r into ws.step; false if singular. */
function dampedStep(mu: number, k: number, ws: Workspace): boolean {
  const { jtj, jtr, aug, step } = ws;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const v = jtj[a * k + b]!;
      aug[a * (k + 1) + b] = a === b ? v * (1 + mu) + 1e-12 : v;
    }
    aug[a * (k + 1) + k] = jtr[a]!;
  }
  return solveAugmentedInPlace(aug, k, step);
}

/**
 * Minimises sum_i (y_i - curve(params)_i)^2 from `initial` inside the bounds. The residuals
 * at the current point are kept from the evaluation that accepted it, not recomputed.
 */
export function levenbergMarquardtCurve(curve: CurveEvaluator, y: readonly number[], initial: readonly number[], options: LmOptions): LmResult {
  const maxIterations = options.maxIterations ?? 200;
  const tol = options.relativeTolerance ?? 1e-8;
  const xtol = options.stepTolerance ?? 1e-8;
  const atol = options.absoluteTolerance ?? 1e-12 * y.reduce((a, v) => a + v * v, 0);
  const { min, max } = options;
  const n = y.length;
  const k = initial.length;
  const ws = workspace(n, k);
  let p = [...initial];
  let trial = [...initial];
  clampInPlace(p, min, max);
  curve(p, ws.model);
  let sse = residuals(y, ws.model, ws.res);
  let mu = options.damping ?? 1e-3;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    normalEquations(curve, p, n, ws);
    let accepted = false;
    while (!accepted && mu < 1e12) {
      let sseNext = Infinity;
      if (dampedStep(mu, k, ws)) {
        for (let j = 0; j < k; j++) trial[j] = p[j]! + ws.step[j]!;
        clampInPlace(trial, min, max);
        curve(trial, ws.model);
        sseNext = residuals(y, ws.model, ws.trialRes);
      }
      if (sseNext < sse) {
        const relative = (sse - sseNext) / Math.max(sse, 1e-300);
        let moved = false;
        for (let j = 0; j < k && !moved; j++) moved = Math.abs(trial[j]! - p[j]!) > xtol * Math.max(1, Math.abs(trial[j]!));
        const previous = p;
        p = trial;
        trial = previous;
        const previousRes = ws.res;
        ws.res = ws.trialRes;
        ws.trialRes = previousRes;
        sse = sseNext;
        mu = Math.max(mu / 3, 1e-12);
        accepted = true;
        converged = relative < tol || !moved || sse <= atol;
      } else {
        mu *= 4;
      }
    }
    // Damping blew up: no step lowers the SSE, so this is a (possibly bounded) minimum.
    if (!accepted) converged = true;
  }
  return { params: p, sse, iterations, converged };
}
