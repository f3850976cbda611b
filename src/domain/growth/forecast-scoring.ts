import type { Derivation } from "../timeline/derive.ts";
import { sumSeries, type ForecastRequest } from "../timeline/forecast-plan.ts";
import type { Forecast } from "./forecast.ts";
import { recistProgressionThresholdMm } from "./progression.ts";

/**
 * Forecasts keep score: each forecast issued at a patient's latest study is recorded, and
 * scored once its target scan (the step-th later study) is stored and measures its subject.
 */

/** A forecast as recorded: what was promised, for which subject and target scan. */
export interface ForecastRecord {
  subject: string;
  originStudyKey: string;
  step: number;
  horizonDays: number;
  lastMm: number;
  nadirMm: number;
  predMm: number;
  q10Mm: number;
  q90Mm: number;
  pProgression: number;
  modelVersion: string;
  calibration: string;
  intervalScale: number;
}

export interface ForecastScore {
  subject: string;
  originStudyKey: string;
  step: number;
  targetStudyKey: string;
  actualMm: number;
  absErrorMm: number;
  locfAbsErrorMm: number;
  inside: boolean;
  progressed: boolean;
}

/** "track:<trackId>" or "sum:<basis>": the stored name of a forecast's series. */
export function subjectKey(subject: ForecastRequest["subject"]): string {
  return subject.kind === "track" ? `track:${subject.trackId}` : `sum:${subject.basis}`;
}

/** Records of the forecasts just made at the latest study (`originStudyKey`), one per horizon. */
export function forecastRecords(requests: readonly ForecastRequest[], forecasts: readonly (readonly Forecast[])[], originStudyKey: string): ForecastRecord[] {
  return requests.flatMap((r, i) => {
    const last = r.sizesMm.at(-1);
    if (last === undefined) return [];
    const nadirMm = Math.min(...r.sizesMm);
    return (forecasts[i] ?? []).map((f, k) => ({
      subject: subjectKey(r.subject),
      originStudyKey,
      step: k + 1,
      horizonDays: f.horizonDays,
      lastMm: last,
      nadirMm,
      predMm: f.predMm,
      q10Mm: f.q10Mm,
      q90Mm: f.q90Mm,
      pProgression: f.pProgression,
      modelVersion: f.modelVersion,
      calibration: f.calibration.source,
      intervalScale: f.calibration.scale,
    }));
  });
}

/** The subject's size at study index `i` of the derivation, or null when not measured there. */
function sizeAt(d: Derivation, subject: string, i: number): number | null {
  const key = d.studies[i]?.key;
  if (key === undefined) return null;
  if (subject.startsWith("track:")) {
    const track = d.tracks.find((t) => t.trackId === subject.slice("track:".length));
    return track?.points.find((p) => p.studyKey === key)?.diameterMm ?? null;
  }
  const basis = subject.slice("sum:".length);
  if (basis !== "recistTargets" && basis !== "allLesions") return null;
  return sumSeries(d, basis)[i] ?? null;
}

/** Scores every pending record whose target scan is now in the derivation and measures its subject. */
export function scoreArrived(pending: readonly ForecastRecord[], d: Derivation): ForecastScore[] {
  const index = new Map(d.studies.map((s, i) => [s.key, i]));
  return pending.flatMap((p) => {
    const origin = index.get(p.originStudyKey);
    if (origin === undefined) return [];
    const target = origin + p.step;
    const actual = sizeAt(d, p.subject, target);
    if (actual === null) return [];
    return [
      {
        subject: p.subject,
        originStudyKey: p.originStudyKey,
        step: p.step,
        targetStudyKey: d.studies[target]!.key,
        actualMm: actual,
        absErrorMm: Math.abs(p.predMm - actual),
        locfAbsErrorMm: Math.abs(p.lastMm - actual),
        inside: actual >= p.q10Mm && actual <= p.q90Mm,
        progressed: actual >= recistProgressionThresholdMm(p.nadirMm),
      },
    ];
  });
}
