import type { Observation } from "../observation.ts";
import { type AlignPoint, type Alignment, estimateTranslation } from "./align.ts";
import { assignWithGate } from "./assign.ts";
import { linkConfidence, pairMargin } from "./confidence.ts";
import { type PairCost, pairCost } from "./cost.ts";
import { MATCHER_CONFIG, type MatcherConfig } from "./weights.ts";

/** One link proposed by the matcher between an earlier and a later observation. */
export interface MatchedPair {
  a: string;
  b: string;
  /** Dimensionless pair cost (below the gate). */
  cost: number;
  /** Calibrated probability that the link is correct, in [0, 1]. */
  confidence: number;
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
  /** Pairs (earlier id, later id) that must not be linked. */
  forbidden?: ReadonlySet<string>;
  config?: MatcherConfig;
}

/** Key of a forbidden pair in `MatchInput.forbidden`. */
export const pairKey = (earlierId: string, laterId: string): string => `${earlierId}\u0000${laterId}`;

const toAlignPoints = (obs: readonly Observation[]): AlignPoint[] =>
  obs.flatMap((o) =>
    o.positionMm ? [{ id: o.id, positionMm: o.positionMm, longAxisMm: o.longAxisMm, kind: o.lesionType ?? o.organ ?? null }] : [],
  );

const allNormalized = (obs: readonly Observation[]): boolean => obs.every((o) => o.positionNormalized != null);

/**
 * Align two observation sets (normalised body coordinates need no shift; otherwise a robust
 * translation from the lesions in mm).
 */
export function alignObservations(earlier: readonly Observation[], later: readonly Observation[], config: MatcherConfig): Alignment {
  if (earlier.length > 0 && later.length > 0 && allNormalized(earlier) && allNormalized(later)) {
    return { shiftMm: [0, 0, 0], inliers: Math.min(earlier.length, later.length), ambiguous: false };
  }
  return estimateTranslation(toAlignPoints(earlier), toAlignPoints(later), config.align);
}

/** Full cost matrix (earlier x later) with forbidden pairs set to Infinity. */
export function costMatrix(input: MatchInput, alignment: Alignment): PairCost[][] {
  const config = input.config ?? MATCHER_CONFIG;
  return input.earlier.map((a, i) =>
    input.later.map((b) => {
      const c = pairCost(
        a,
        b,
        { shiftMm: alignment.shiftMm, ambiguous: alignment.ambiguous, shiftPriorMm: config.align.shiftPriorMm, skippedStudies: input.skipped?.[i] ?? 0 },
        config.cost,
      );
      return input.forbidden?.has(pairKey(a.id, b.id)) ? { ...c, total: Infinity } : c;
    }),
  );
}

/**
 * Match earlier observations to later ones: align, cost, optimal partial assignment with the
 * gate, then a calibrated confidence per link. Pure and deterministic.
 */
export function matchObservations(input: MatchInput): PairMatch {
  const config = input.config ?? MATCHER_CONFIG;
  const alignment = alignObservations(input.earlier, input.later, config);
  if (input.earlier.length === 0 || input.later.length === 0) return { pairs: [], alignment };
  const totals = costMatrix(input, alignment).map((row) => row.map((c) => c.total));
  const half = config.gate / 2;
  const pairs = assignWithGate(totals, half, half).map(({ row, col, cost }) => {
    const margin = pairMargin(totals, row, col, config.gate);
    return {
      a: input.earlier[row]!.id,
      b: input.later[col]!.id,
      cost,
      confidence: linkConfidence(cost, margin, config.confidence),
    };
  });
  return { pairs, alignment };
}

/**
 * Match the lesions of study a to those of study b (the bench entry point).
 * @returns one-to-one pairs with cost and confidence, and the alignment a -> b (mm).
 */
export function matchStudyPair(a: readonly Observation[], b: readonly Observation[], config: MatcherConfig = MATCHER_CONFIG): PairMatch {
  return matchObservations({ earlier: a, later: b, config });
}
