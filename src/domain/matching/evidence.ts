import type { Observation, StudyForDomain } from "../observation.ts";
import type { Alignment } from "./align.ts";
import { duplicateGroups } from "./duplicates.ts";
import { FORCE_BONUS, matchEvidence, pairKey } from "./match.ts";
import type { MatcherConfig } from "./weights.ts";

/** One lesion as seen in one study: an observation, or duplicates of it on several series. */
export interface HistoryUnit {
  /** Index of its study in time order. */
  study: number;
  /** Its observations' indexes in `HistoryEvidence.observations`. */
  members: number[];
}

export interface HistoryEvidence {
  /** Every observation, in (study time, id) order. */
  observations: Observation[];
  unitOf: Int32Array;
  units: HistoryUnit[];
  /**
   * Per unit: summed-up verdicts with units of other studies within the evidence window. A
   * verdict is the study-pair margin (how much cheaper than the best alternative, another
   * partner or none at the gate), clipped to [-gate, gate] and divided by the study gap: a
   * log-likelihood ratio in cost units, trusted less across longer gaps, so verdicts add up.
   */
  evidence: Map<number, number>[];
  /** Pair cost of two observations (indexes) of studies within the window, under that pair's alignment; undefined beyond it. */
  cost: (x: number, y: number) => number | undefined;
  /** Alignment of each matched study pair, key `${earlier}:${later}` (study indexes). */
  alignments: Map<string, Alignment>;
}

/**
 * Evidence of a whole history: every study matched against each of the `evidenceWindow`
 * studies before it, each pair with its own alignment (frames differ per study, and a chain
 * of alignments accumulates error). People's links enter as forced / forbidden pairs.
 */
export function historyEvidence(
  studies: readonly StudyForDomain[],
  config: MatcherConfig,
  constraints: { mustLink: readonly [string, string][]; cannotLink: readonly [string, string][] },
): HistoryEvidence {
  const observations = studies.flatMap((s) => s.observations);
  const first: number[] = [];
  studies.reduce((at, s) => (first.push(at), at + s.observations.length), 0);
  const units: HistoryUnit[] = [];
  const unitOf = new Int32Array(observations.length);
  const unitsOfStudy = studies.map((s, k) =>
    duplicateGroups(s.observations, config.align).map((g) => {
      const members = g.map((i) => first[k]! + i);
      for (const m of members) unitOf[m] = units.length;
      units.push({ study: k, members });
      return units.length - 1;
    }),
  );
  const both = (pairs: readonly [string, string][]): Set<string> => new Set(pairs.flatMap(([u, v]) => [pairKey(u, v), pairKey(v, u)]));
  const forced = both(constraints.mustLink);
  const forbidden = both(constraints.cannotLink);
  const evidence = units.map(() => new Map<number, number>());
  const studyOf = new Int32Array(observations.length);
  studies.forEach((st, k) => st.observations.forEach((_, i) => (studyOf[first[k]! + i] = k)));
  const pairCosts = new Map<number, (i: number, j: number) => number>();
  const alignments = new Map<string, Alignment>();
  const gate = config.gate;
  /** Matches studies s < t and records the verdicts of the unit pairs that `keep` admits. */
  const matchPair = (s: number, t: number, keep: (u: number, v: number) => boolean): void => {
    const earlier = studies[s]!.observations, later = studies[t]!.observations;
    const ev = matchEvidence({ earlier, later, forced, forbidden, config });
    alignments.set(`${s}:${t}`, ev.alignment);
    pairCosts.set(s * studies.length + t, (i, j) => ev.cost(i, j) + (forced.has(pairKey(earlier[i]!.id, later[j]!.id)) ? FORCE_BONUS : 0));
    // Units are the matcher's duplicate groups, so every member pair carries its group's margin.
    for (const u of unitsOfStudy[s]!) {
      for (const v of unitsOfStudy[t]!) {
        if (!keep(u, v)) continue;
        const e = Math.max(-gate, Math.min(gate, ev.margin(units[u]!.members[0]! - first[s]!, units[v]!.members[0]! - first[t]!))) / (t - s);
        evidence[u]!.set(v, e);
        evidence[v]!.set(u, e);
      }
    }
  };
  const window = config.evidenceWindow;
  for (let t = 1; t < studies.length; t++) {
    for (let s = Math.max(0, t - window); s < t; s++) matchPair(s, t, () => true);
  }
  // Gap bridging: a lesion unseen (or unannotated) for longer than the window has no verdict
  // with its own past. A unit with no positive verdict towards later studies ("ends") and a
  // unit of a later study beyond the window with none towards earlier ones ("starts") get the
  // verdict of their own study pair, so a track can resume after a long gap. Only such unit
  // pairs gain evidence: everything else stays decided inside the window.
  const positiveTowards = (u: number, later: boolean): boolean => {
    for (const [v, e] of evidence[u]!) if (e > 0 && units[v]!.study > units[u]!.study === later) return true;
    return false;
  };
  const ends = units.map((u, i) => u.study + window < studies.length - 1 && !positiveTowards(i, true));
  const starts = units.map((u, i) => u.study > window && !positiveTowards(i, false));
  const reach = Math.min(studies.length - 1, config.gapBridgeStudies);
  for (let t = window + 1; t < studies.length; t++) {
    if (!unitsOfStudy[t]!.some((v) => starts[v])) continue;
    for (let s = Math.max(0, t - reach); s < t - window; s++) {
      if (unitsOfStudy[s]!.some((u) => ends[u])) matchPair(s, t, (u, v) => ends[u]! && starts[v]!);
    }
  }
  const cost = (x: number, y: number): number | undefined => {
    const [p, q] = studyOf[x]! < studyOf[y]! ? [x, y] : [y, x];
    const s = studyOf[p]!, t = studyOf[q]!;
    return pairCosts.get(s * studies.length + t)?.(p - first[s]!, q - first[t]!);
  };
  return { observations, unitOf, units, evidence, cost, alignments };
}
