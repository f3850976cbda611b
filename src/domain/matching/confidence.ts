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
 * Calibrated probability that a matcher link is correct: a logistic function of its cost and
 * margin, with coefficients fitted on the DLS validation tasks (see weights.ts provenance).
 * @returns a value in [0, 1]
 */
export function linkConfidence(cost: number, margin: number, cfg: ConfidenceConfig): number {
  const z = cfg.intercept + cfg.costSlope * cost + cfg.marginSlope * margin;
  return 1 / (1 + Math.exp(-z));
}
