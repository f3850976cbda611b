/** What a reader records per follow-up study, and how the service's protocol extends the engine's. */
import { DEFAULT_PARAMS } from "./protocol.ts";
import type { LesionStatus, Params } from "./types.ts";

/** Per follow-up study: the reader's flags. Lesions are named by their (baseline or new) track id. */
export interface FollowUpFlags {
  tumorMarkersAboveNormal?: boolean;
  /** iRECIST: imaging done to investigate a new symptom or sign (recist.md §13.2 step 0). */
  symptomDriven?: boolean;
  /** Reader's status per non-target or new-lesion track; overrides the observed/not observed default. */
  nonTargetStatus?: Record<string, LesionStatus>;
  /** Target tracks "too small to measure" (counted as tstmDefaultMm). */
  tooSmallToMeasure?: string[];
  /** New-lesion tracks the reader finds equivocal (§8.3). */
  equivocalNew?: string[];
  /** Lesions not evaluated at this study (not covered by the scan, image unreadable): NE. */
  notEvaluated?: string[];
  /** Lesions looked for and gone: a target counts 0 mm, a non-target or new lesion is absent. */
  disappeared?: string[];
  /** iRECIST: non-target or new non-target lesions that increased since the last scan (§13.2 b). */
  increasedSinceLast?: string[];
}

/** The flags that name track ids, as lists (nonTargetStatus by its keys). */
export const TRACK_FLAG_LISTS = ["tooSmallToMeasure", "equivocalNew", "notEvaluated", "disappeared", "increasedSinceLast"] as const;

/**
 * How a target with no observation and no flag at a follow-up is read. Reader-fed trials:
 * not evaluated (a scan that did not cover it); detector-fed research cohorts: disappeared.
 */
export type MissingTargetMeans = "not_evaluated" | "disappeared";
export const MISSING_TARGET_MEANS = ["not_evaluated", "disappeared"] as const satisfies readonly MissingTargetMeans[];

/** Protocol keys the service adds to the engine's parameters (recist.md §2), with their defaults. */
export const SERVICE_PROTOCOL_DEFAULTS: Readonly<{ missingTargetMeans: MissingTargetMeans }> = Object.freeze({ missingTargetMeans: "not_evaluated" });

/** A reader's flag that contradicts a measurement at the same study; the measurement is used. */
export interface FlagConflict {
  studyKey: string;
  trackId: string;
  flag: "tooSmallToMeasure" | "notEvaluated" | "disappeared" | "nonTargetStatus";
  message: string;
}

/** Splits a cohort's stored protocol into the engine's parameters and the tracks mapping's own settings. */
export function tracksProtocol(protocol: Record<string, unknown>): { params: Partial<Params>; missingTargetMeans: MissingTargetMeans } {
  const { missingTargetMeans, ...params } = protocol;
  return {
    params: params as Partial<Params>,
    missingTargetMeans: missingTargetMeans === "disappeared" ? "disappeared" : SERVICE_PROTOCOL_DEFAULTS.missingTargetMeans,
  };
}

/** Known protocol keys: the engine's and the service's. */
export const PROTOCOL_KEYS: readonly string[] = [...Object.keys(DEFAULT_PARAMS), ...Object.keys(SERVICE_PROTOCOL_DEFAULTS)];
