import type { ConfidenceConfig } from "./weights.ts";

/**
 * Margin of a chosen pair (i, j): how much cheaper it is than the best alternative for
 * either lesion (another partner of i, another partner of j, or no partner at all = gate).
 * Negative when an alternative is cheaper but was taken by a better global assignment.
 */
export function pairMargin(cost: readonly (readonly number[])[], i: number, j: number, gate: number): number {
  let alt = gate;
  const row = cost[i]!;
  for (let k = 0; k < row.length; k++) if (k !== j) alt = Math.min(alt, row[k]!);
  for (let k = 0; k < cost.length; k++) if (k !== i) alt = Math.min(alt, cost[k]![j]!);
  return alt - row[j]!;
}

/**
 * pairMargin of every cell of a cost matrix at once (row-major, rows x cols), from the two
 * smallest costs of each row and column: O(rows x cols) instead of O(rows x cols x (rows + cols)).
 */
export function groupMargins(cost: readonly (readonly number[])[], gate: number): Float64Array {
  const n = cost.length;
  const m = n === 0 ? 0 : cost[0]!.length;
  const two = (len: number, at: (k: number) => number): [number, number, number] => {
    let first = Infinity, second = Infinity, arg = -1;
    for (let k = 0; k < len; k++) {
      const v = at(k);
      if (v < first) { second = first; first = v; arg = k; } else if (v < second) second = v;
    }
    return [first, second, arg];
  };
  const rows = cost.map((row) => two(m, (k) => row[k]!));
  const cols = Array.from({ length: m }, (_, j) => two(n, (k) => cost[k]![j]!));
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const [r1, r2, ri] = rows[i]!;
    for (let j = 0; j < m; j++) {
      const [c1, c2, ci] = cols[j]!;
      const alt = Math.min(gate, ri === j ? r2 : r1, ci === i ? c2 : c1);
      out[i * m + j] = alt - cost[i]![j]!;
    }
  }
  return out;
}

/**
 * Calibrated probability that a matcher link is correct: a logistic function of its cost and
 * margin, with coefficients fitted on the DLS validation tasks (see weights.ts provenance).
 * @returns a value in [0, 1]
 */
export function linkConfidence(cost: number, margin: number, cfg: ConfidenceConfig): number {
  const z = cfg.intercept + cfg.costSlope * cost + cfg.marginSlope * margin;
  return 1 / (1 + Math.exp(-z));
}
