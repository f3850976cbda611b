/** Protocol parameters (spec recist.md §2): defaults reproduce RECIST 1.1 / iRECIST as published. */
import type { Params } from "./types.ts";

export const DEFAULT_PARAMS: Readonly<Params> = Object.freeze({
  criteria: "RECIST1.1",
  requireConfirmation: false,
  confirmMinDays: 28,
  confirmMaxInterveningNe: 1,
  confirmAcceptInterveningSd: false,
  sdMinDays: 42,
  tstmDefaultMm: 5,
  prThresholdPct: 30,
  pdThresholdPct: 20,
  pdAbsoluteMm: 5,
  minMeasurableMm: 10,
  minTargetNodeMm: 15,
  pathologicalNodeMm: 10,
  maxTargets: 5,
  maxTargetsPerOrgan: 2,
  continuedPrAfterEstablished: true,
  pdOnReappearanceAfterCr: true,
  backdateEquivocalNewLesions: true,
  icpdMinDays: 28,
  icpdMaxDays: 56,
  icpdAbsoluteMm: 5,
} satisfies Params);

/** Default slice thickness (mm) when the baseline does not give one. */
export const DEFAULT_SLICE_THICKNESS_MM = 5;

/** Overrides on top of the defaults; keys explicitly set to undefined keep the default. */
export function resolveParams(partial: Partial<Params> | undefined): Params {
  const out: Params = { ...DEFAULT_PARAMS };
  for (const [key, value] of Object.entries(partial ?? {})) {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** All nodes together count as one organ for the per-organ limit (§3.2, [FAQ-1]). */
export const LYMPH_NODE_ORGAN = "lymph node";
