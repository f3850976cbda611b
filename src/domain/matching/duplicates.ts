import { distance } from "../geometry.ts";
import type { Observation } from "../observation.ts";

/** When two observations of one study are taken as one lesion measured on two series. */
export interface DuplicateRule {
  /** mm between the two positions (same study frame); at least half the mean long axis. */
  duplicateRadiusMm: number;
  /** Largest ratio of long axes. */
  duplicateSizeRatio: number;
}

const seriesOf = (o: Observation): string | null => {
  const s = o.source?.series;
  return typeof s === "string" && s.length > 0 ? s : null;
};

/**
 * Groups of one study's observations that are one lesion measured twice: on two different
 * (named) series, at nearly the same place and size. Returns index groups covering every
 * observation (singletons included), in index order, so the result is deterministic.
 */
export function duplicateGroups(obs: readonly Observation[], rule: DuplicateRule): number[][] {
  const parent = obs.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let i = 0; i < obs.length; i++) {
    for (let j = i + 1; j < obs.length; j++) {
      const p = obs[i]!, q = obs[j]!;
      const sp = seriesOf(p), sq = seriesOf(q);
      if (!sp || !sq || sp === sq || !p.positionMm || !q.positionMm) continue;
      const ratio = Math.max(p.longAxisMm, q.longAxisMm) / Math.max(1e-9, Math.min(p.longAxisMm, q.longAxisMm));
      const radius = Math.max(rule.duplicateRadiusMm, (p.longAxisMm + q.longAxisMm) / 4);
      if (distance(p.positionMm, q.positionMm) < radius && ratio <= rule.duplicateSizeRatio) {
        parent[find(j)] = find(i);
      }
    }
  }
  const groups = new Map<number, number[]>();
  obs.forEach((_, i) => {
    const r = find(i);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  return [...groups.values()].sort((g, h) => g[0]! - h[0]!);
}
