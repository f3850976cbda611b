/** Baseline validation (spec §3.3): errors are results that stop the computation. */
import { dayNumber } from "./dates.ts";
import { toTenths } from "./exact.ts";
import { DEFAULT_SLICE_THICKNESS_MM, LYMPH_NODE_ORGAN } from "./protocol.ts";
import type { Input, Params, ValidationError } from "./types.ts";

/** Organ used for the per-organ target limit: all nodes are one organ "lymph node". */
export const targetOrgan = (t: { organ: string; nodal: boolean }): string =>
  t.nodal ? LYMPH_NODE_ORGAN : t.organ;

/**
 * Every (code, ref) error of §3.3, each distinct pair once; empty when the case can be computed.
 * Measurability: non-nodal LD >= minMeasurableMm and, when slices are thicker than 5 mm,
 * >= 2 x slice thickness (applied to non-nodal lesions only, [decision] §15.6).
 */
export function validateCase(input: Input, p: Params): ValidationError[] {
  const errors: ValidationError[] = [];
  const seen = new Set<string>();
  const add = (code: ValidationError["code"], ref: string | null): void => {
    const key = `${code}\u0000${ref ?? "\u0001null"}`;
    if (!seen.has(key)) { seen.add(key); errors.push({ code, ref }); }
  };
  const { baseline } = input;
  const slice = toTenths(baseline.sliceThicknessMm ?? DEFAULT_SLICE_THICKNESS_MM);

  for (const t of baseline.targets) {
    const v = toTenths(t.value);
    if (t.nodal) {
      if (v < toTenths(p.minTargetNodeMm)) add("TARGET_NODE_TOO_SMALL", t.id);
    } else if (v < toTenths(p.minMeasurableMm) || (slice > 50 && v < 2 * slice)) {
      add("TARGET_NOT_MEASURABLE", t.id);
    }
  }
  if (baseline.targets.length > p.maxTargets) add("TOO_MANY_TARGETS", null);
  const perOrgan = new Map<string, number>();
  for (const t of baseline.targets) {
    const organ = targetOrgan(t);
    perOrgan.set(organ, (perOrgan.get(organ) ?? 0) + 1);
  }
  for (const [organ, n] of perOrgan) if (n > p.maxTargetsPerOrgan) add("TOO_MANY_TARGETS_PER_ORGAN", organ);
  if (baseline.targets.length === 0 && baseline.nonTargets.length === 0) add("NO_BASELINE_DISEASE", null);

  const targetIds = new Set(baseline.targets.map((t) => t.id));
  const nonTargetIds = new Set(baseline.nonTargets.map((t) => t.id));
  let previous = dayNumber(baseline.date);
  for (const f of input.followUps) {
    for (const o of f.targets) {
      if (!targetIds.has(o.id)) add("UNKNOWN_LESION_ID", o.id);
      if (o.status === "merged" && !targetIds.has(o.mergedInto)) add("UNKNOWN_LESION_ID", o.mergedInto);
    }
    for (const o of f.nonTargets) if (!nonTargetIds.has(o.id)) add("UNKNOWN_LESION_ID", o.id);
    const day = dayNumber(f.date);
    if (day <= previous) add("DATES_NOT_INCREASING", f.date);
    previous = day;
  }
  return errors;
}
