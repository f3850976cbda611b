/** Target lesion response per timepoint (spec §6). */
import { atOrBelowReduction, meetsGrowth, toTenths, type Tenths } from "./exact.ts";
import type { TargetValue } from "./normalise.ts";
import type { Params, TargetResp } from "./types.ts";

export interface TargetContext {
  values: readonly TargetValue[];
  sum: Tenths | null;
  partialSum: Tenths;
  nadir: Tenths;
  baselineSum: Tenths;
  /** The most recent earlier non-NE overall response was CR (RECIST) / iCR (iRECIST). */
  priorCr: boolean;
}

/** A target is back after a CR: non-nodal > 0 or TSTM; a node >= pathologicalNodeMm (§10.1). */
export function targetReappeared(x: TargetValue, p: Params): boolean {
  if (x.v === null) return false;
  return x.nodal ? x.v >= toTenths(p.pathologicalNodeMm) : x.v > 0 || x.tstm;
}

/**
 * Rules of §6 in order, first match wins: reappearance after CR -> PD; CR (tested before the
 * sum-based PD, [decision] §15.1); PD vs nadir (a partial sum may prove it); NE; PR vs baseline; SD.
 * Callers give no context when there are no targets (rule 1 -> null).
 */
export function targetResponse(c: TargetContext, p: Params): TargetResp {
  if (p.pdOnReappearanceAfterCr && c.priorCr && c.values.some((x) => targetReappeared(x, p))) return "PD";
  const node = toTenths(p.pathologicalNodeMm);
  const allEvaluated = c.values.every((x) => x.v !== null);
  if (allEvaluated && c.values.every((x) => (x.nodal ? x.v! < node : x.v === 0 && !x.tstm))) return "CR";
  const x = c.sum ?? c.partialSum;
  if (meetsGrowth(x, c.nadir, p.pdThresholdPct, p.pdAbsoluteMm)) return "PD";
  if (c.sum === null) return "NE";
  if (atOrBelowReduction(c.sum, c.baselineSum, p.prThresholdPct)) return "PR";
  return "SD";
}
