import { type Vec3, medianVec, norm, subtract } from "../geometry.ts";
import type { AlignConfig } from "./weights.ts";

/** A lesion as the aligner sees it: a position in its study's frame, a size and a kind. */
export interface AlignPoint {
  id: string;
  /** mm in the frame of its own study. */
  positionMm: Vec3;
  /** mm, long axis; used to prefer anchors of similar size. */
  longAxisMm: number;
  /** Lesion type or organ; anchors of different known kinds are not tried. */
  kind?: string | null;
}

/** Translation taking study a's frame to study b's: b ≈ a + shiftMm. */
export interface Alignment {
  shiftMm: Vec3;
  /** Number of one-to-one lesion pairs agreeing with the shift within the inlier radius. */
  inliers: number;
  /** True when the lesions cannot fix the shift (fewer than 2 inliers, or a rival shift as good). */
  ambiguous: boolean;
}

interface Consensus {
  offset: Vec3;
  inliers: [number, number][];
  residualSum: number;
}

/** Greedy one-to-one inlier set for a trial offset, closest residuals first. */
function inliersFor(a: readonly AlignPoint[], b: readonly AlignPoint[], offset: Vec3, radiusMm: number): Consensus {
  const cand: { i: number; j: number; r: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const r = norm(subtract(subtract(b[j]!.positionMm, a[i]!.positionMm), offset));
      if (r < radiusMm) cand.push({ i, j, r });
    }
  }
  cand.sort((p, q) => p.r - q.r || p.i - q.i || p.j - q.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const inliers: [number, number][] = [];
  let residualSum = 0;
  for (const c of cand) {
    if (usedA.has(c.i) || usedB.has(c.j)) continue;
    usedA.add(c.i);
    usedB.add(c.j);
    inliers.push([c.i, c.j]);
    residualSum += c.r;
  }
  return { offset, inliers, residualSum };
}

const sizeCompatible = (p: AlignPoint, q: AlignPoint, maxRatio: number): boolean => {
  const lo = Math.min(p.longAxisMm, q.longAxisMm);
  const hi = Math.max(p.longAxisMm, q.longAxisMm);
  return lo > 0 ? hi / lo <= maxRatio : true;
};

const kindCompatible = (p: AlignPoint, q: AlignPoint): boolean => !p.kind || !q.kind || p.kind === q.kind;

/** Squared prior distance of a shift, in units of the per-axis prior spread. */
export const priorDistance2 = (s: Vec3, prior: Vec3): number =>
  (s[0] / prior[0]) ** 2 + (s[1] / prior[1]) ** 2 + (s[2] / prior[2]) ** 2;

/**
 * Cost of a shift under a heavy-tailed (Cauchy-like) prior: about d²/2 near zero, but only
 * logarithmic far out, so enough agreeing lesions can always outweigh an unusual shift.
 */
export const shiftPriorCost = (s: Vec3, prior: Vec3, weight: number): number => weight * Math.log1p(priorDistance2(s, prior) / 2);

/** A candidate shift with the lesion pairs that support it. */
export interface ShiftHypothesis {
  shiftMm: Vec3;
  /** One-to-one pairs (index in a, index in b) within the inlier radius of the shift. */
  inliers: [number, number][];
  residualSumMm: number;
}

/**
 * Candidate translations from the lesions (consensus over pairwise offsets): every plausible
 * pair (similar size, same kind) is tried as an anchor, its one-to-one inliers are collected
 * and the shift is refined as their component-wise median offset. Distinct shifts only, best
 * first (most inliers, then smaller residuals, then closer to the prior).
 */
export function shiftHypotheses(a: readonly AlignPoint[], b: readonly AlignPoint[], config: AlignConfig): ShiftHypothesis[] {
  if (a.length === 0 || b.length === 0) return [];
  const radius = config.inlierRadiusMm;
  let anchors: Vec3[] = [];
  for (const p of a) {
    for (const q of b) {
      if (kindCompatible(p, q) && sizeCompatible(p, q, config.maxAnchorSizeRatio)) {
        anchors.push(subtract(q.positionMm, p.positionMm));
      }
    }
  }
  if (anchors.length === 0) anchors = a.flatMap((p) => b.map((q) => subtract(q.positionMm, p.positionMm)));
  const score = (c: Consensus): number => c.inliers.length * 1e6 - c.residualSum - 1e-3 * priorDistance2(c.offset, config.shiftPriorMm);
  const refined = anchors.map((anchor) => {
    const first = inliersFor(a, b, anchor, radius);
    const offsets = first.inliers.map(([i, j]) => subtract(b[j]!.positionMm, a[i]!.positionMm));
    return inliersFor(a, b, medianVec(offsets), radius);
  });
  refined.sort((p, q) => score(q) - score(p));
  const distinct: ShiftHypothesis[] = [];
  for (const c of refined) {
    if (distinct.some((d) => norm(subtract(d.shiftMm, c.offset)) < 1e-6)) continue;
    distinct.push({ shiftMm: c.offset, inliers: c.inliers, residualSumMm: c.residualSum });
  }
  return distinct;
}

/**
 * Robust translation between two studies from their lesions: the best consensus hypothesis.
 * @returns shift in mm such that b ≈ a + shift; `ambiguous` when fewer than 2 inliers support it
 *   or a distinct shift (farther than the inlier radius) has equal support.
 * @example estimateTranslation([{id:"a",positionMm:[0,0,0],longAxisMm:10}], [{id:"b",positionMm:[5,0,0],longAxisMm:10}], cfg)
 */
export function estimateTranslation(a: readonly AlignPoint[], b: readonly AlignPoint[], config: AlignConfig): Alignment {
  const hyps = shiftHypotheses(a, b, config);
  const best = hyps[0];
  if (!best) return { shiftMm: [0, 0, 0], inliers: 0, ambiguous: true };
  const rival = hyps.find(
    (c) => c.inliers.length === best.inliers.length && norm(subtract(c.shiftMm, best.shiftMm)) > config.inlierRadiusMm,
  );
  return { shiftMm: best.shiftMm, inliers: best.inliers.length, ambiguous: best.inliers.length < 2 || rival !== undefined };
}
