import type { Vec3 } from "../geometry.ts";

/** Settings of the robust translation between two studies (align.ts). */
export interface AlignConfig {
  /** mm: a candidate pair supports a shift when its residual is below this radius. */
  inlierRadiusMm: number;
  /** Anchors whose long axes differ by more than this factor are not tried as anchors. */
  maxAnchorSizeRatio: number;
  /** mm per axis: spread of the unknown shift before looking at the lesions (x, y, z). */
  shiftPriorMm: Vec3;
}

/** Weights of the pair cost (cost.ts); the cost is dimensionless, the gate is in the same unit. */
export interface CostConfig {
  /** mm: distance that costs 1 unit for a lesion of size 0 once studies are aligned. */
  positionScaleMm: number;
  /** Extra tolerated distance per mm of mean long axis (big lesions move and are measured more loosely). */
  positionSizeFactor: number;
  /** Cost per unit of |log(long_a / long_b)|. */
  sizeWeight: number;
  /** Cost per unit of (1 - cosine) between embeddings, used only when both carry one of equal length. */
  embeddingWeight: number;
  /** Cost added when both observations name a lesion type and the types differ. */
  typeMismatch: number;
  /** Cost added when both observations name an organ and the organs differ. */
  organMismatch: number;
  /** Cost added when one side is nodal and the other is not. */
  nodalMismatch: number;
  /** Cost per study skipped between a track's last observation and the new study. */
  skipPenalty: number;
  /** Position term weight when the alignment is ambiguous (distance measured against the shift prior). */
  ambiguousPositionWeight: number;
  /** Cost used in place of the position term when positions cannot be compared. */
  missingPositionCost: number;
  /** mm: body extent used to turn normalised [0,1] coordinates into millimetres (x, y, z). */
  bodySizeMm: Vec3;
}

/** Logistic calibration of link confidence: sigma(intercept + costSlope*cost + marginSlope*margin). */
export interface ConfidenceConfig {
  intercept: number;
  costSlope: number;
  marginSlope: number;
}

export interface MatcherConfig {
  align: AlignConfig;
  cost: CostConfig;
  /** Cost of a pair above which leaving both lesions without partner is preferred (half per side). */
  gate: number;
  confidence: ConfidenceConfig;
  /** Where each fitted value came from: data, command, metric, date. */
  provenance: Record<string, string>;
}

/**
 * The one matcher configuration used by the service and the bench.
 * Fitted values are marked in `provenance`; the others are stated priors (no data to fit them:
 * the DeepLesion matching tasks carry no lesion type, organ, embedding or skipped studies).
 */
export const MATCHER_CONFIG: MatcherConfig = {
  align: {
    inlierRadiusMm: 15,
    maxAnchorSizeRatio: 3,
    shiftPriorMm: [40, 40, 120],
  },
  cost: {
    positionScaleMm: 20,
    positionSizeFactor: 0.5,
    sizeWeight: 0.5,
    embeddingWeight: 2,
    typeMismatch: 1,
    organMismatch: 1,
    nodalMismatch: 0.5,
    skipPenalty: 0.25,
    ambiguousPositionWeight: 1,
    missingPositionCost: 1,
    bodySizeMm: [350, 250, 900],
  },
  gate: 3,
  confidence: { intercept: 4, costSlope: -2, marginSlope: 0.5 },
  provenance: {
    status: "initial values, not fitted yet",
  },
};
