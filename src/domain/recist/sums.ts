/** Sums of diameters, nadir and percentage changes (spec §5), all in integer tenths of mm. */
import { pctChange, type Tenths } from "./exact.ts";
import type { TargetValue } from "./normalise.ts";

export interface SumsAt {
  /** Complete sum, null if any target is NE or there are no targets. */
  sum: Tenths | null;
  /** Sum over evaluated targets (0 if none evaluated); null without targets. */
  partialSum: Tenths | null;
  /** Nadir N_t: min of the baseline sum and earlier complete sums; null without targets. */
  nadir: Tenths | null;
  pctChangeFromBaseline: number | null;
  pctChangeFromNadir: number | null;
}

/**
 * Sums for every follow-up in date order. Incomplete sums never update the nadir and
 * the nadir is never reset (§5). `baselineSum` null means the patient has no targets.
 */
export function computeSums(baselineSum: Tenths | null, perTimepoint: readonly TargetValue[][]): SumsAt[] {
  const out: SumsAt[] = [];
  let nadir = baselineSum;
  for (const values of perTimepoint) {
    if (baselineSum === null || nadir === null) {
      out.push({ sum: null, partialSum: null, nadir: null, pctChangeFromBaseline: null, pctChangeFromNadir: null });
      continue;
    }
    const partialSum = values.reduce((s, x) => s + (x.v ?? 0), 0);
    const sum = values.some((x) => x.v === null) ? null : partialSum;
    out.push({
      sum,
      partialSum,
      nadir,
      pctChangeFromBaseline: sum === null ? null : pctChange(sum, baselineSum),
      pctChangeFromNadir: sum === null ? null : pctChange(sum, nadir),
    });
    if (sum !== null && sum < nadir) nadir = sum;
  }
  return out;
}
