/**
 * The RECIST engine's JSON contract (spec recist-io.md): what the CLI, the API and the tests share.
 * Lengths are millimetres with at most one decimal; dates are calendar dates "YYYY-MM-DD".
 */
import type { Mm } from "../units.ts";

export type ISODate = string;

export interface Params {
  criteria: "RECIST1.1" | "iRECIST";
  requireConfirmation: boolean;
  confirmMinDays: number;
  confirmMaxInterveningNe: number;
  confirmAcceptInterveningSd: boolean;
  sdMinDays: number;
  tstmDefaultMm: Mm;
  prThresholdPct: number;
  pdThresholdPct: number;
  pdAbsoluteMm: Mm;
  minMeasurableMm: Mm;
  minTargetNodeMm: Mm;
  pathologicalNodeMm: Mm;
  maxTargets: number;
  maxTargetsPerOrgan: number;
  continuedPrAfterEstablished: boolean;
  pdOnReappearanceAfterCr: boolean;
  backdateEquivocalNewLesions: boolean;
  icpdMinDays: number;
  icpdMaxDays: number;
  icpdAbsoluteMm: Mm;
}

export interface BaselineTarget { id: string; organ: string; nodal: boolean; value: Mm }
export interface BaselineNonTarget { id: string; organ: string; nodal: boolean }

export interface Baseline {
  date: ISODate;
  /** Default 5 mm; above 5 mm the non-nodal minimum becomes 2 x slice thickness (§3.1). */
  sliceThicknessMm?: number;
  targets: BaselineTarget[];
  nonTargets: BaselineNonTarget[];
}

export type TargetObs =
  | { id: string; status: "measured"; value: Mm }
  | { id: string; status: "measured"; fragments: Mm[] }
  | { id: string; status: "tstm" }
  | { id: string; status: "disappeared" }
  | { id: string; status: "merged"; mergedInto: string }
  | { id: string; status: "not_evaluated" };

export type LesionStatus = "present" | "absent" | "unequivocal_progression" | "not_evaluated";

export interface NonTargetObs { id: string; status: LesionStatus; increasedSinceLast?: boolean }

export interface NewLesionObs {
  id: string;
  organ: string;
  equivocal: boolean;
  measurable: boolean;
  value?: Mm;
  status: LesionStatus;
  increasedSinceLast?: boolean;
}

export interface FollowUp {
  date: ISODate;
  tumorMarkersAboveNormal?: boolean;
  symptomDriven?: boolean;
  targets: TargetObs[];
  nonTargets: NonTargetObs[];
  newLesions: NewLesionObs[];
}

export interface Input {
  referenceDate?: ISODate;
  baseline: Baseline;
  followUps: FollowUp[];
}

export interface Case {
  id?: string;
  params: Partial<Params>;
  input: Input;
}

export type Resp = "CR" | "PR" | "SD" | "NON-CR/NON-PD" | "PD" | "NE";
export type IResp = "iCR" | "iPR" | "iSD" | "NON-iCR/NON-iUPD" | "iUPD" | "iCPD" | "NE";
export type TargetResp = "CR" | "PR" | "SD" | "PD" | "NE";
export type NonTargetResp = "CR" | "NON-CR/NON-PD" | "PD" | "NE";

export type ValidationCode =
  | "TARGET_NOT_MEASURABLE" | "TARGET_NODE_TOO_SMALL" | "TOO_MANY_TARGETS"
  | "TOO_MANY_TARGETS_PER_ORGAN" | "NO_BASELINE_DISEASE" | "UNKNOWN_LESION_ID" | "DATES_NOT_INCREASING";
export type WarningCode = "ICPD_CONFIRMATION_LATE";

export interface ValidationError { code: ValidationCode; ref: string | null }
export interface Warning { code: WarningCode; date: ISODate }

export interface TimepointResult {
  date: ISODate;
  sum: Mm | null;
  partialSum: Mm | null;
  nadir: Mm | null;
  pctChangeFromBaseline: number | null;
  pctChangeFromNadir: number | null;
  targetResponse: TargetResp | null;
  nonTargetResponse: NonTargetResp | null;
  newLesion: boolean;
  overallResponse: Resp;
  revised: boolean;
  iOverallResponse?: IResp;
}

export interface Result {
  id?: string;
  validationErrors: ValidationError[];
  baselineSum?: Mm | null;
  timepoints?: TimepointResult[];
  bestOverallResponse?: { unconfirmed: Resp; confirmed: Resp };
  progressionDate?: ISODate | null;
  warnings?: Warning[];
  irecist?: {
    bestOverallResponse: { unconfirmed: IResp; confirmed: IResp };
    progressionDate: ISODate | null;
    icpdDate: ISODate | null;
  };
}
