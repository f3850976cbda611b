import { type Vec3, distance, medianVec, norm, subtract } from "../geometry.ts";
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

/** Uniform grid over study b's points (cell = inlier radius) so each query visits 27 cells. */
class PointGrid {
  private readonly cells = new Map<number, number[]>();
  constructor(private readonly points: readonly AlignPoint[], private readonly cellMm: number) {
    points.forEach((p, j) => {
      const k = PointGrid.key(this.cell(p.positionMm[0]), this.cell(p.positionMm[1]), this.cell(p.positionMm[2]));
      const list = this.cells.get(k);
      if (list) list.push(j);
      else this.cells.set(k, [j]);
    });
  }
  private cell(x: number): number {
    return Math.floor(x / this.cellMm);
  }
  // Hash collisions only cost time: every candidate is checked by its true distance.
  private static key(x: number, y: number, z: number): number {
    return ((x * 73856093) ^ (y * 19349663) ^ (z * 83492791)) | 0;
  }
  /** Calls visit(j, r) for each point j within `radius` of q (radius <= cell size). */
  near(q: Vec3, radius: number, visit: (j: number, r: number) => void): void {
    const cx = this.cell(q[0]), cy = this.cell(q[1]), cz = this.cell(q[2]);
    const seen = new Set<number>();
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (let dz = -1; dz <= 1; dz++) {
          for (const j of this.cells.get(PointGrid.key(cx + dx, cy + dy, cz + dz)) ?? []) {
            if (seen.has(j)) continue;
            seen.add(j);
            const p = this.points[j]!.positionMm;
            const r = distance(p, q);
            if (r < radius) visit(j, r);
          }
        }
  }
}

/** Below this many lesion pairs, checking every pair beats building and querying a grid. */
const BRUTE_FORCE_PAIRS = 1024;

/** Greedy one-to-one inlier set for a trial offset, closest residuals first. */
function inliersFor(a: readonly AlignPoint[], b: readonly AlignPoint[], grid: PointGrid | null, offset: Vec3, radiusMm: number): Consensus {
  return grid ? greedyInliers(a.length, b.length, gridCandidates(a, grid, offset, radiusMm), offset) : greedyInliers(a.length, b.length, allCandidates(a, b, offset, radiusMm), offset);
}

type Candidates = { i: number[]; j: number[]; r: number[] };

function gridCandidates(a: readonly AlignPoint[], grid: PointGrid, offset: Vec3, radiusMm: number): Candidates {
  const c: Candidates = { i: [], j: [], r: [] };
  a.forEach((p, i) => grid.near([p.positionMm[0] + offset[0], p.positionMm[1] + offset[1], p.positionMm[2] + offset[2]], radiusMm, (j, r) => {
    c.i.push(i); c.j.push(j); c.r.push(r);
  }));
  return c;
}

function allCandidates(a: readonly AlignPoint[], b: readonly AlignPoint[], offset: Vec3, radiusMm: number): Candidates {
  const c: Candidates = { i: [], j: [], r: [] };
  for (let i = 0; i < a.length; i++) {
    const pa = a[i]!.positionMm;
    const q0 = pa[0] + offset[0], q1 = pa[1] + offset[1], q2 = pa[2] + offset[2];
    for (let j = 0; j < b.length; j++) {
      const pb = b[j]!.positionMm;
      const d0 = pb[0] - q0, d1 = pb[1] - q1, d2 = pb[2] - q2;
      const r = Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
      if (r < radiusMm) { c.i.push(i); c.j.push(j); c.r.push(r); }
    }
  }
  return c;
}

function greedyInliers(na: number, nb: number, c: Candidates, offset: Vec3): Consensus {
  const order = c.r.map((_, k) => k).sort((p, q) => c.r[p]! - c.r[q]! || c.i[p]! - c.i[q]! || c.j[p]! - c.j[q]!);
  const usedA = new Uint8Array(na);
  const usedB = new Uint8Array(nb);
  const inliers: [number, number][] = [];
  let residualSum = 0;
  for (const k of order) {
    const i = c.i[k]!, j = c.j[k]!;
    if (usedA[i] || usedB[j]) continue;
    usedA[i] = 1;
    usedB[j] = 1;
    inliers.push([i, j]);
    residualSum += c.r[k]!;
  }
  return { offset, inliers, residualSum };
}

/** Anchors refined exactly; beyond this, anchors are first ranked by Hough votes. */
const MAX_EXACT_ANCHORS = 256;

/**
 * For large lesion sets keep the anchors with most votes (other pairwise offsets within the
 * radius), a cheap stand-in for the inlier count; small sets keep every anchor.
 */
function preselectAnchors(anchors: Vec3[], radius: number): Vec3[] {
  if (anchors.length <= MAX_EXACT_ANCHORS) return anchors;
  const offsetGrid = new PointGrid(anchors.map((o, k) => ({ id: String(k), positionMm: o, longAxisMm: 0 })), radius);
  const votes = anchors.map((o, k) => {
    let v = 0;
    offsetGrid.near(o, radius, () => v++);
    return { k, v };
  });
  votes.sort((p, q) => q.v - p.v || p.k - q.k);
  return votes.slice(0, MAX_EXACT_ANCHORS).map(({ k }) => anchors[k]!);
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
  const grid = a.length * b.length > BRUTE_FORCE_PAIRS ? new PointGrid(b, radius) : null;
  const refined = preselectAnchors(anchors, radius).map((anchor) => {
    const first = inliersFor(a, b, grid, anchor, radius);
    const offsets = first.inliers.map(([i, j]) => subtract(b[j]!.positionMm, a[i]!.positionMm));
    return inliersFor(a, b, grid, medianVec(offsets), radius);
  });
  refined.sort((p, q) => score(q) - score(p));
  const seen = new Set<string>();
  const distinct: ShiftHypothesis[] = [];
  for (const c of refined) {
    const key = c.offset.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
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
