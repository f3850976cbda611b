import { type Vec3, distance, norm, subtract } from "../geometry.ts";
import type { Observation } from "../observation.ts";
import { type AlignPoint, type Alignment, shiftHypotheses, shiftPriorCost } from "./align.ts";
import { type AssignedPair, assignWithGate } from "./assign.ts";
import { groupMargins, linkConfidence, pairMargin } from "./confidence.ts";
import { duplicateGroups } from "./duplicates.ts";
import { type PairCost, pairCost, positionTerm } from "./cost.ts";
import { MATCHER_CONFIG, type MatcherConfig } from "./weights.ts";

/** One link proposed by the matcher between an earlier and a later observation. */
export interface MatchedPair {
  a: string;
  b: string;
  /** Dimensionless pair cost (below the gate). */
  cost: number;
  /** Calibrated probability that the link is correct, in [0, 1]. */
  confidence: number;
  /** How much cheaper than the best alternative for either lesion (see confidence.ts). */
  margin: number;
}

export interface PairMatch {
  pairs: MatchedPair[];
  alignment: Alignment;
}

/** Inputs of a general matching step (a study pair, or live track heads against a new study). */
export interface MatchInput {
  earlier: readonly Observation[];
  later: readonly Observation[];
  /** Skipped studies per earlier observation (same order), default 0. */
  skipped?: readonly number[];
  /** Pairs (earlier id, later id) that must not be linked (wins over `forced`). */
  forbidden?: ReadonlySet<string>;
  /** Pairs (earlier id, later id) that must be linked (people's corrections); they still inform the alignment. */
  forced?: ReadonlySet<string>;
  config?: MatcherConfig;
}

/** Subtracted from a forced pair's cost so every assignment takes it, while its real cost still ranks shifts. */
export const FORCE_BONUS = 1e6;

/** Key of a pair in `MatchInput.forbidden` / `MatchInput.forced`. */
export const pairKey = (earlierId: string, laterId: string): string => `${earlierId}\u0000${laterId}`;

const toAlignPoints = (obs: readonly Observation[]): AlignPoint[] =>
  obs.flatMap((o) =>
    o.positionMm ? [{ id: o.id, positionMm: o.positionMm, longAxisMm: o.longAxisMm, kind: o.lesionType ?? o.organ ?? null }] : [],
  );

const allNormalized = (obs: readonly Observation[]): boolean => obs.every((o) => o.positionNormalized != null);

/** Full cost matrix (earlier x later) under one shift, forbidden pairs set to Infinity. */
export function costMatrix(input: MatchInput, shiftMm: Vec3): PairCost[][] {
  const config = input.config ?? MATCHER_CONFIG;
  return input.earlier.map((a, i) =>
    input.later.map((b) => {
      const c = pairCost(a, b, { shiftMm, skippedStudies: input.skipped?.[i] ?? 0 }, config.cost);
      const key = pairKey(a.id, b.id);
      if (input.forbidden?.has(key)) return { ...c, total: Infinity };
      return input.forced?.has(key) ? { ...c, total: c.total - FORCE_BONUS } : c;
    }),
  );
}

/**
 * The parts of every pair cost that do not depend on the shift, computed once per study pair:
 * only the position term changes between the candidate shifts (the hot loop of matching).
 */
function shiftFreeCosts(input: MatchInput, config: MatcherConfig): (shiftMm: Vec3) => number[][] {
  const zero: Vec3 = [0, 0, 0];
  const cells = input.earlier.map((a, i) =>
    input.later.map((b) => {
      const c = pairCost(a, b, { shiftMm: zero, skippedStudies: input.skipped?.[i] ?? 0 }, config.cost);
      const key = pairKey(a.id, b.id);
      const rest = input.forbidden?.has(key) ? Infinity : c.total - c.position - (input.forced?.has(key) ? FORCE_BONUS : 0);
      const moves = !(a.positionNormalized && b.positionNormalized) && a.positionMm && b.positionMm;
      const d = moves ? subtract(b.positionMm!, a.positionMm!) : zero;
      // positionTerm at shift 0 is |d| / tolerance, so the tolerance is recovered from it.
      const perMm = moves ? positionTerm(a, b, { shiftMm: zero, skippedStudies: 0 }, config.cost) / Math.max(1e-12, norm(d)) : 0;
      return { rest, moves, d, perMm, fixed: c.position };
    }),
  );
  return (shiftMm) =>
    cells.map((row) =>
      row.map((c) => c.rest + (c.moves ? distance(c.d, shiftMm) * c.perMm : c.fixed)),
    );
}

interface Solution {
  shiftMm: Vec3;
  /** Member-level pair costs (earlier x later). */
  totals: number[][];
  /** Costs between duplicate groups (a lesion measured on two series counts once). */
  groupTotals: number[][];
  /** Assigned groups, with the cheapest member pair as row / col. */
  assigned: (AssignedPair & { groupRow: number; groupCol: number })[];
  objective: number;
}

function solveUnderShift(totalsAt: (shiftMm: Vec3) => number[][], config: MatcherConfig, shiftMm: Vec3, groupsA: number[][], groupsB: number[][]): Solution {
  const totals = totalsAt(shiftMm);
  const cheapest = (ga: readonly number[], gb: readonly number[]): AssignedPair => {
    let pick = { row: ga[0]!, col: gb[0]!, cost: Infinity };
    for (const i of ga) for (const j of gb) if (totals[i]![j]! < pick.cost) pick = { row: i, col: j, cost: totals[i]![j]! };
    return pick;
  };
  const singletons = groupsA.length === totals.length && groupsB.length === (totals[0]?.length ?? 0);
  const groupTotals = singletons ? totals : groupsA.map((ga) => groupsB.map((gb) => cheapest(ga, gb).cost));
  const half = config.gate / 2;
  const groupPairs = assignWithGate(groupTotals, half, half);
  const objective =
    groupPairs.reduce((s, p) => s + p.cost, 0) +
    half * (groupsA.length + groupsB.length - 2 * groupPairs.length) +
    shiftPriorCost(shiftMm, config.align.shiftPriorMm, config.align.shiftPriorWeight);
  // Two groups matched: members pair up one-to-one inside them (series 1 with 1, 2 with 2).
  const assigned = groupPairs.flatMap(({ row, col }) => {
    const ga = groupsA[row]!, gb = groupsB[col]!;
    const inner = ga.length > 1 && gb.length > 1 ? assignWithGate(ga.map((i) => gb.map((j) => totals[i]![j]!)), half, half) : [];
    const members = inner.length > 0 ? inner.map((p) => ({ row: ga[p.row]!, col: gb[p.col]!, cost: p.cost })) : [cheapest(ga, gb)];
    return members.map((m) => ({ ...m, groupRow: row, groupCol: col }));
  });
  return { shiftMm, totals, groupTotals, assigned, objective };
}

/** A study-pair match with what whole-history association needs besides its links. */
export interface PairEvidence extends PairMatch {
  /** Pair cost of every (earlier i, later j) under the chosen shift (Infinity when forbidden). */
  cost: (i: number, j: number) => number;
  /** pairMargin of (i, j) between their duplicate groups: > 0 when it beats every alternative of both. */
  margin: (i: number, j: number) => number;
}

/**
 * Match earlier observations to later ones. Each candidate shift (none, and the best consensus
 * hypotheses of align.ts) is scored by a full gated assignment plus a Gaussian prior on the
 * shift; the cheapest wins, so lesions, sizes and the prior decide the alignment jointly.
 * Then each link gets a calibrated confidence. Pure and deterministic.
 */
export function matchObservations(input: MatchInput): PairMatch {
  const { pairs, alignment } = matchEvidence(input);
  return { pairs, alignment };
}

/** matchObservations, also exposing the cost and margin of every pair under the chosen shift. */
export function matchEvidence(input: MatchInput): PairEvidence {
  const config = input.config ?? MATCHER_CONFIG;
  const zero: Vec3 = [0, 0, 0];
  if (input.earlier.length === 0 || input.later.length === 0) {
    return { pairs: [], alignment: { shiftMm: zero, inliers: 0, ambiguous: true }, cost: () => Infinity, margin: () => -config.gate };
  }
  const normalized = allNormalized(input.earlier) && allNormalized(input.later);
  const hyps = normalized
    ? []
    : shiftHypotheses(toAlignPoints(input.earlier), toAlignPoints(input.later), config.align).slice(0, config.align.maxHypotheses);
  const groupsA = duplicateGroups(input.earlier, config.align);
  const groupsB = duplicateGroups(input.later, config.align);
  const totalsAt = shiftFreeCosts(input, config);
  const solutions = [zero, ...hyps.map((h) => h.shiftMm)].map((s) => solveUnderShift(totalsAt, config, s, groupsA, groupsB));
  let best = solutions[0]!;
  for (const s of solutions) if (s.objective < best.objective - 1e-9) best = s;
  const radius = config.align.inlierRadiusMm;
  const inliers = best.assigned.filter(({ row, col }) => {
    const a = input.earlier[row]!.positionMm;
    const b = input.later[col]!.positionMm;
    return normalized || (a && b && norm(subtract(subtract(b, a), best.shiftMm)) < radius);
  }).length;
  const rival = solutions.some(
    (s) => s !== best && s.objective < best.objective + 0.1 * config.gate && norm(subtract(s.shiftMm, best.shiftMm)) > radius,
  );
  const pairs = best.assigned.map(({ row, col, cost, groupRow, groupCol }) => {
    const a = input.earlier[row]!.id;
    const b = input.later[col]!.id;
    if (input.forced?.has(pairKey(a, b))) return { a, b, cost: cost + FORCE_BONUS, confidence: 1, margin: 0 };
    const margin = pairMargin(best.groupTotals, groupRow, groupCol, config.gate);
    return { a, b, cost, confidence: linkConfidence(cost, margin, config.confidence), margin };
  });
  const groupOf = (groups: number[][], n: number): Int32Array => {
    const out = new Int32Array(n);
    groups.forEach((g, k) => g.forEach((i) => (out[i] = k)));
    return out;
  };
  const gA = groupOf(groupsA, input.earlier.length), gB = groupOf(groupsB, input.later.length);
  const margins = groupMargins(best.groupTotals, config.gate);
  const q = groupsB.length;
  return {
    pairs,
    alignment: { shiftMm: best.shiftMm, inliers, ambiguous: !normalized && (inliers < 2 || rival) },
    cost: (i, j) => best.totals[i]![j]!,
    margin: (i, j) => margins[gA[i]! * q + gB[j]!]!,
  };
}

/**
 * Match the lesions of study a to those of study b (the bench entry point).
 * @returns one-to-one pairs with cost and confidence, and the alignment a -> b (mm).
 */
export function matchStudyPair(a: readonly Observation[], b: readonly Observation[], config: MatcherConfig = MATCHER_CONFIG): PairMatch {
  return matchObservations({ earlier: a, later: b, config });
}
