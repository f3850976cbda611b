/**
 * Bounded Levenberg-Marquardt least squares for small curve fits (a few parameters, tens of
 * points). Written here, rather than taken from ml-levenberg-marquardt, to report a real
 * convergence test (relative SSE change and step size), not only "iterations ran out".
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

/** Solves a small dense linear system (Gaussian elimination with partial pivoting); null if singular. */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    const pivot = m[c]![c]!;
    if (!(Math.abs(pivot) > 1e-300)) return null;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / pivot;
      if (f !== 0) for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/** Minimises sum_i (y_i - f(params, x_i))^2 from `initial` inside the bounds. */
export function levenbergMarquardt(
  f: (params: readonly number[], x: number) => number,
  x: readonly number[],
  y: readonly number[],
  initial: readonly number[],
  options: LmOptions,
): LmResult {
  const maxIterations = options.maxIterations ?? 200;
  const tol = options.relativeTolerance ?? 1e-8;
  const xtol = options.stepTolerance ?? 1e-8;
  const atol = options.absoluteTolerance ?? 1e-12 * y.reduce((a, v) => a + v * v, 0);
  const clamp = (p: number[]): number[] => p.map((v, k) => Math.min(options.max[k]!, Math.max(options.min[k]!, v)));
  const sseOf = (p: readonly number[]): number => {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += (y[i]! - f(p, x[i]!)) ** 2;
    return Number.isFinite(s) ? s : Infinity;
  };
  let p = clamp([...initial]);
  let sse = sseOf(p);
  let mu = options.damping ?? 1e-3;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const k = p.length;
    const jac = x.map((xi) =>
      p.map((v, j) => {
        const h = 1e-6 * Math.max(Math.abs(v), 1e-3);
        const up = [...p];
        const dn = [...p];
        up[j] = v + h;
        dn[j] = v - h;
        return (f(up, xi) - f(dn, xi)) / (2 * h);
      }),
    );
    const res = x.map((xi, i) => y[i]! - f(p, xi));
    const jtj = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => jac.reduce((s, r) => s + r[a]! * r[b]!, 0)));
    const jtr = Array.from({ length: k }, (_, a) => jac.reduce((s, r, i) => s + r[a]! * res[i]!, 0));
    let accepted = false;
    while (!accepted && mu < 1e12) {
      const aug = jtj.map((row, a) => row.map((v, b) => (a === b ? v * (1 + mu) + 1e-12 : v)));
      const step = solveLinear(aug, jtr);
      const next = step ? clamp(p.map((v, j) => v + step[j]!)) : p;
      const sseNext = step ? sseOf(next) : Infinity;
      if (sseNext < sse) {
        const relative = (sse - sseNext) / Math.max(sse, 1e-300);
        const moved = next.some((v, j) => Math.abs(v - p[j]!) > xtol * Math.max(1, Math.abs(v)));
        p = next;
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
