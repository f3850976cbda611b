import type { Observation } from "../observation.ts";
import type { FollowUpFlags } from "../recist/follow-up-flags.ts";
import type { TimeAxis } from "./time-axis.ts";

/** A stored study with its observations, as the derivation reads it. */
export interface StudyRecord {
  key: string;
  date: string | null;
  dayOffset: number | null;
  orderIndex: number | null;
  ageYears: number | null;
  timeDays: number;
  timeAxis: TimeAxis;
  modality: string;
  sliceThicknessMm: number | null;
  observations: Observation[];
}

export interface PatientRecord {
  cohortId: string;
  patientId: string;
  sex: string | null;
  birthYear: number | null;
  metadata: Record<string, unknown>;
  referenceDate: string | null;
  revision: number;
}

/** A person's correction of the matcher: a confirmed link or a forbidden one. */
export interface LinkCorrection {
  kind: "must" | "cannot";
  fromObservationId: string;
  toObservationId: string;
}

/** People's RECIST inputs for one patient (stored on the patient). */
export interface RecistAnnotations {
  designations?: { trackId: string; role: "target" | "non-target" }[];
  /** Per study key: the reader's follow-up flags (recist/follow-up-flags.ts). */
  studyFlags?: Record<string, FollowUpFlags>;
}

export interface CohortSettings {
  protocol: Record<string, unknown>;
  protocolVersion: number;
  scanIntervalDays: number;
  forecastHorizonsDays?: number[];
  bodySizeMm: [number, number, number];
  /** "partial": only some lesions per study are annotated (DeepLesion): no RECIST categories reported. */
  annotations?: "complete" | "partial";
}
