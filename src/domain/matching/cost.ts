import { type Vec3, norm, subtract } from "../geometry.ts";
import type { Observation } from "../observation.ts";
import type { CostConfig } from "./weights.ts";

/** How two observations' positions are to be compared. */
export interface PairContext {
  /** mm, b ≈ a + shift (from align.ts); ignored for normalised coordinates. */
  shiftMm: Vec3;
  /** Studies between a's study and b's study in which a's track was not seen. */
  skippedStudies: number;
}

/** The parts of a pair cost, each already weighted; `total` is their sum. */
export interface PairCost {
  total: number;
  position: number;
  size: number;
  embedding: number;
  category: number;
  skip: number;
}

/** Typed error value for observations whose embeddings cannot be compared (service: HTTP 400). */
export interface EmbeddingDimensionMismatch {
  code: "EMBEDDING_DIMENSION_MISMATCH";
  message: string;
  /** Dimension found per observation id (only observations that carry an embedding). */
  dimensions: { observationId: string; dimension: number }[];
}

export type EmbeddingCheck = { ok: true; dimension: number | null } | { ok: false; error: EmbeddingDimensionMismatch };

/**
 * The first embedding whose length differs from `expected` (default: the first length given),
 * with its index; null when all agree. Inputs check studies with it before anything is stored.
 */
export function firstDimensionMismatch(embeddings: readonly (readonly number[] | null | undefined)[], expected?: number): { index: number; dimension: number; expected: number } | null {
  let want = expected;
  for (let i = 0; i < embeddings.length; i++) {
    const e = embeddings[i];
    if (!e) continue;
    if (want !== undefined && e.length !== want) return { index: i, dimension: e.length, expected: want };
    want ??= e.length;
  }
  return null;
}

/**
 * Check that every observation carrying an embedding uses the same dimension.
 * @returns `{ ok: true, dimension }` (null when none carries one) or a typed error value.
 */
export function checkEmbeddingDimensions(observations: readonly Observation[]): EmbeddingCheck {
  const dimensions = observations
    .filter((o) => o.embedding != null)
    .map((o) => ({ observationId: o.id, dimension: o.embedding!.length }));
  const distinct = [...new Set(dimensions.map((d) => d.dimension))].sort((p, q) => p - q);
  if (distinct.length <= 1) return { ok: true, dimension: distinct[0] ?? null };
  return {
    ok: false,
    error: {
      code: "EMBEDDING_DIMENSION_MISMATCH",
      message: `embeddings have different dimensions: ${distinct.join(", ")}`,
      dimensions,
    },
  };
}

/** 1 - cosine similarity in [0, 2]; null when either vector is missing, empty, zero or of another length. */
export function cosineDistance(a: readonly number[] | null | undefined, b: readonly number[] | null | undefined): number | null {
  if (!a || !b || a.length === 0 || a.length !== b.length) return null;
  let dot = 0, na = 0, nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k]! * b[k]!;
    na += a[k]! * a[k]!;
    nb += b[k]! * b[k]!;
  }
  if (na === 0 || nb === 0) return null;
  return 1 - dot / Math.sqrt(na * nb);
}

/**
 * Position term (dimensionless): aligned distance divided by a size-dependent tolerance.
 * Normalised coordinates (both sides) are compared directly, scaled to mm by the body size.
 */
export function positionTerm(a: Observation, b: Observation, ctx: PairContext, cfg: CostConfig): number {
  const meanLong = (a.longAxisMm + b.longAxisMm) / 2;
  const tolerance = cfg.positionScaleMm + cfg.positionSizeFactor * meanLong;
  if (a.positionNormalized && b.positionNormalized) {
    const d = subtract(b.positionNormalized, a.positionNormalized);
    return norm([d[0] * cfg.bodySizeMm[0], d[1] * cfg.bodySizeMm[1], d[2] * cfg.bodySizeMm[2]]) / tolerance;
  }
  if (a.positionMm && b.positionMm) {
    return norm(subtract(subtract(b.positionMm, a.positionMm), ctx.shiftMm)) / tolerance;
  }
  return cfg.missingPositionCost;
}

/** |log(long_a / long_b)|; 0 when either size is missing or not positive. */
export function logSizeRatio(a: Observation, b: Observation): number {
  return a.longAxisMm > 0 && b.longAxisMm > 0 ? Math.abs(Math.log(a.longAxisMm / b.longAxisMm)) : 0;
}

const differs = (x: string | null | undefined, y: string | null | undefined): boolean => !!x && !!y && x !== y;

/**
 * Cost of pairing observation a (earlier) with b (later): weighted sum of embedding distance,
 * aligned position distance scaled by lesion size, |log size ratio|, category mismatches
 * (type, organ, nodal) and skipped studies. Lower is better; dimensionless.
 */
export function pairCost(a: Observation, b: Observation, ctx: PairContext, cfg: CostConfig): PairCost {
  const position = positionTerm(a, b, ctx, cfg);
  const size = cfg.sizeWeight * logSizeRatio(a, b);
  const cos = cosineDistance(a.embedding, b.embedding);
  const embedding = cos === null ? 0 : cfg.embeddingWeight * cos;
  const category =
    (differs(a.lesionType, b.lesionType) ? cfg.typeMismatch : 0) +
    (differs(a.organ, b.organ) ? cfg.organMismatch : 0) +
    (a.nodal !== b.nodal ? cfg.nodalMismatch : 0);
  const skip = cfg.skipPenalty * Math.max(0, ctx.skippedStudies);
  return { total: position + size + embedding + category + skip, position, size, embedding, category, skip };
}
