/** Per-timepoint target measurement normalisation (spec §4). */
import { toTenths, type Tenths } from "./exact.ts";
import type { BaselineTarget, FollowUp, Params } from "./types.ts";

/** One baseline target at one follow-up: v in tenths of mm, or null for NE. */
export interface TargetValue {
  id: string;
  nodal: boolean;
  v: Tenths | null;
  /** Too small to measure: present, so it blocks CR of a non-nodal target. */
  tstm: boolean;
}

/**
 * Converts each baseline target's observation at a follow-up to a value (§4): measured x -> x
 * (even < 5 mm), fragments -> their sum, tstm -> tstmDefaultMm, disappeared/merged -> 0,
 * not_evaluated or missing -> NE. The first observation of an id wins if one is repeated.
 */
export function normaliseTargets(targets: readonly BaselineTarget[], f: FollowUp, p: Params): TargetValue[] {
  return targets.map((t) => {
    const o = f.targets.find((x) => x.id === t.id);
    const base = { id: t.id, nodal: t.nodal, tstm: false };
    if (o === undefined) return { ...base, v: null };
    switch (o.status) {
      case "measured":
        return { ...base, v: "fragments" in o ? o.fragments.reduce((s, x) => s + toTenths(x), 0) : toTenths(o.value) };
      case "tstm":
        return { ...base, v: toTenths(p.tstmDefaultMm), tstm: true };
      case "disappeared":
      case "merged":
        return { ...base, v: 0 };
      case "not_evaluated":
        return { ...base, v: null };
    }
  });
}
