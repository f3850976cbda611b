import type { Vec3 } from "./geometry.ts";
import type { Mm } from "./units.ts";

/** Where a measurement came from (DICOM series, key slice, file), kept for audit and export. */
export interface SourceRef {
  series?: string;
  slice?: number;
  file?: string;
  [key: string]: unknown;
}

/**
 * One lesion as measured in one study: the single canonical measurement shape that every
 * importer (API JSON, DL_info.csv, flat CSV) converts to.
 */
export interface Observation {
  id: string;
  /** mm in the patient frame of this study (frames of two studies differ by an unknown shift). */
  positionMm?: Vec3 | null;
  /** Normalised body coordinates in [0, 1] (DeepLesion), comparable across studies. */
  positionNormalized?: Vec3 | null;
  longAxisMm: Mm;
  shortAxisMm: Mm;
  organ?: string | null;
  lesionType?: string | null;
  nodal: boolean;
  embedding?: readonly number[] | null;
  source?: SourceRef | null;
}

/** A study as the domain sees it: a time on a day axis, and its observations. */
export interface StudyForDomain {
  key: string;
  /** Time of the study in days on the patient's time axis (date, day offset, or age-derived). */
  timeDays: number;
  observations: Observation[];
}
