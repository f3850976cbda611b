/**
 * Exact minimum-cost assignment (shortest augmenting paths with potentials, the
 * Jonker-Volgenant / Kuhn-Munkres family), plus a partial variant with a "no partner" cost.
 */

/** Cost at or above which a pair is treated as forbidden (Infinity is mapped to this). */
export const FORBIDDEN_COST = 1e12;

/**
 * Minimum-cost assignment of every row to a distinct column of a rectangular matrix with
 * rows <= columns. Returns the column of each row. O(n^2 m).
 */
export function solveRectangular(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  if (n === 0) return [];
  const m = cost[0]!.length;
  if (m < n) throw new RangeError(`solveRectangular needs rows <= columns (got ${n} x ${m})`);
  const flat = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const row = cost[i]!;
    for (let j = 0; j < m; j++) {
      const v = row[j]!;
      flat[i * m + j] = Number.isFinite(v) ? v : FORBIDDEN_COST;
    }
  }
  // 1-based potentials u (rows), v (columns); p[j] = row matched to column j (0 = none).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      const base = (i0 - 1) * m - 1;
      const ui0 = u[i0]!;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = flat[base + j]! - ui0 - v[j]!;
        if (cur < minv[j]!) { minv[j] = cur; way[j] = j0; }
        if (minv[j]! < delta) { delta = minv[j]!; j1 = j; }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) { u[p[j]!] = u[p[j]!]! + delta; v[j] = v[j]! - delta; }
        else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]! > 0) rowToCol[p[j]! - 1] = j - 1;
  return rowToCol;
}

/** One used pair of a partial assignment. */
export interface AssignedPair {
  row: number;
  col: number;
  cost: number;
}

/**
 * Optimal partial assignment: each row and column is either paired once or left unmatched at
 * its "no partner" cost, minimising the total. A pair (i, j) is thus used only if it is cheaper
 * than leaving both unmatched (cost < unmatchedRow[i] + unmatchedCol[j]). Forbidden pairs
 * (Infinity or >= FORBIDDEN_COST) are never used.
 * @param unmatchedRow cost of leaving row i without a partner (scalar for all rows)
 * @param unmatchedCol cost of leaving column j without a partner (scalar for all columns)
 */
export function assignWithGate(
  cost: readonly (readonly number[])[],
  unmatchedRow: number | readonly number[],
  unmatchedCol: number | readonly number[],
): AssignedPair[] {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0]!.length;
  if (n === 0 || m === 0) return [];
  const rowGate = (i: number): number => (typeof unmatchedRow === "number" ? unmatchedRow : unmatchedRow[i]!);
  const colGate = (j: number): number => (typeof unmatchedCol === "number" ? unmatchedCol : unmatchedCol[j]!);
  // n x (m + n) problem: row i takes a real column (paying c_ij but saving column j's no-partner
  // cost) or its own dummy column m+i (paying its no-partner cost); other dummies are forbidden.
  const wide: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Array<number>(m + n).fill(FORBIDDEN_COST);
    for (let j = 0; j < m; j++) {
      const v = cost[i]![j]!;
      row[j] = Number.isFinite(v) && v < FORBIDDEN_COST ? v - colGate(j) : FORBIDDEN_COST;
    }
    row[m + i] = rowGate(i);
    wide.push(row);
  }
  const sol = solveRectangular(wide);
  const pairs: AssignedPair[] = [];
  for (let i = 0; i < n; i++) {
    const j = sol[i]!;
    if (j >= 0 && j < m) {
      const v = cost[i]![j]!;
      if (Number.isFinite(v) && v < FORBIDDEN_COST) pairs.push({ row: i, col: j, cost: v });
    }
  }
  return pairs;
}
