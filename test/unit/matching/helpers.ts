import type { Vec3 } from "../../../src/domain/geometry.ts";
import type { AlignConfig } from "../../../src/domain/matching/weights.ts";
import type { Observation } from "../../../src/domain/observation.ts";
import { mm } from "../../../src/domain/units.ts";

/** A test observation with a position in mm and a long axis; short axis = 0.7 x long. */
export function obs(id: string, positionMm: Vec3, longAxisMm: number, extra: Partial<Observation> = {}): Observation {
  return { id, positionMm, longAxisMm: mm(longAxisMm), shortAxisMm: mm(longAxisMm * 0.7), nodal: false, ...extra };
}

/** Small seeded PRNG so generated patients are reproducible inside fast-check seeds. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/** n points at least `minGapMm` apart inside a box of half-widths `extent` (rejection sampling). */
export function separatedPoints(rand: () => number, n: number, minGapMm: number, extent: Vec3): Vec3[] {
  const pts: Vec3[] = [];
  for (let tries = 0; pts.length < n && tries < 10_000; tries++) {
    const p: Vec3 = [(rand() * 2 - 1) * extent[0], (rand() * 2 - 1) * extent[1], (rand() * 2 - 1) * extent[2]];
    if (pts.every((q) => Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]) >= minGapMm)) pts.push(p);
  }
  if (pts.length < n) throw new Error("could not place separated points");
  return pts;
}

/** Alignment settings pinned for hand-worked tests (not the fitted values, which may change). */
export const PINNED_ALIGN_CONFIG: AlignConfig = {
  inlierRadiusMm: 30,
  maxAnchorSizeRatio: 3,
  shiftPriorMm: [20, 20, 500],
  shiftPriorWeight: 1,
  duplicateRadiusMm: 10,
  duplicateSizeRatio: 1.5,
  maxHypotheses: 12,
};
