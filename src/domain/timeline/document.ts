import type { Derivation } from "./derive.ts";
import type { ForecastRequest } from "./forecast-plan.ts";
import { PARTIAL_ANNOTATIONS_NOTE, trackedLesionsPctChange, type Annotations } from "./tracked-change.ts";
import type { CohortSettings, PatientRecord } from "./types.ts";

/** The document that GET .../timeline returns, byte for byte (stored when inputs change). */
export interface TimelineDocument {
  patient: PatientRecord & { cohortId: string };
  timeAxis: string;
  /** "partial": RECIST categories are not reported, only the size change of tracked lesions. */
  annotations: { mode: Annotations; note: string | null };
  studies: unknown[];
  tracks: unknown[];
  events: unknown[];
  recist: unknown;
  forecasts: unknown;
}

/** Per-patient figures the cohort views (spider, waterfall, swimmer) read without opening timelines. */
export interface PatientSummary {
  timeAxis: string;
  studyCount: number;
  trackCount: number;
  lastTimeDays: number;
  spider: { timeDays: number; date: string | null; pctChangeFromBaseline: number | null; response: string | null; newLesion: boolean }[];
  bestPctChange: number | null;
  bestOverallResponse: { unconfirmed: string; confirmed: string } | null;
  progressionTimeDays: number | null;
  sumBasis: "recistTargets" | "allLesions";
}

export interface ForecastOutcome<F> {
  request: ForecastRequest;
  forecasts: F[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * What the engine was told about each lesion per follow-up study key: a target's status
 * (measured, tstm, disappeared, merged, not_evaluated), a non-target's or new lesion's
 * (present, absent, unequivocal_progression, not_evaluated; "equivocal" for an equivocal new one).
 */
function recistStatusByTrack(d: Derivation): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const put = (id: string, key: string, status: string) => {
    const byStudy = out.get(id) ?? {};
    byStudy[key] = status;
    out.set(id, byStudy);
  };
  d.recist.input.followUps.forEach((f, k) => {
    const key = d.studies[k + 1]?.key;
    if (key === undefined) return;
    for (const t of f.targets) put(t.id, key, t.status);
    for (const n of f.nonTargets) put(n.id, key, n.status);
    for (const n of f.newLesions) put(n.id, key, n.equivocal && n.status === "present" ? "equivocal" : n.status);
  });
  return out;
}

export function buildTimeline<F>(
  patient: PatientRecord,
  cohort: CohortSettings,
  d: Derivation,
  forecasts: ForecastOutcome<F>[],
  model: { kind: string; version: string },
): { document: TimelineDocument; summary: PatientSummary } {
  const partial = cohort.annotations === "partial";
  // Partial annotations: RECIST categories are not reported at all, so no PD from unannotated lesions.
  const result = partial ? { validationErrors: [] } : d.recist.result;
  const irecist = partial ? undefined : d.recist.result.irecist;
  const tracked = trackedLesionsPctChange(d.studies.map((s) => s.key), d.tracks);
  const tpByIndex = (i: number) => (i === 0 ? null : result.timepoints?.[i - 1] ?? null);
  const eventsByStudy = new Map<string, unknown[]>();
  for (const e of d.events) eventsByStudy.set(e.studyKey, [...(eventsByStudy.get(e.studyKey) ?? []), e]);
  const alignmentByStudy = new Map(d.alignments.map((a) => [a.toStudyKey, a]));
  const trackForecasts = new Map<string, F[]>();
  let sumForecast: ForecastOutcome<F> | null = null;
  for (const f of forecasts) {
    if (f.request.subject.kind === "track") trackForecasts.set(f.request.subject.trackId, f.forecasts);
    else sumForecast = f;
  }

  const studies = d.studies.map((s, i) => {
    const tp = tpByIndex(i);
    return {
      studyKey: s.key,
      date: s.date,
      dayOffset: s.dayOffset,
      orderIndex: s.orderIndex,
      ageYears: s.ageYears,
      timeDays: round1(s.timeDays - d.firstTimeDays),
      recistDate: d.recist.dates[i] ?? null,
      modality: s.modality,
      sliceThicknessMm: s.sliceThicknessMm,
      lesionCount: s.observations.length,
      sumOfDiametersMm: d.sumsByStudy.get(s.key) ?? 0,
      alignment: alignmentByStudy.get(s.key) ?? null,
      events: eventsByStudy.get(s.key) ?? [],
      trackedLesionsPctChange: tracked[i] ?? null,
      recist: partial ? null : i === 0 ? { role: "baseline", sum: result.baselineSum ?? null } : tp ? { role: "follow-up", ...tp } : null,
    };
  });

  const statuses = recistStatusByTrack(d);
  const tracks = d.tracks.map((t) => ({
    trackId: t.trackId,
    label: t.label,
    organ: t.organ,
    lesionType: t.lesionType,
    nodal: t.nodal,
    recistRole: d.recist.designations.find((x) => x.trackId === t.trackId)?.role ?? "new",
    recistStatus: statuses.get(t.trackId) ?? {},
    observations: t.points,
    forecasts: trackForecasts.get(t.trackId) ?? [],
  }));

  const valid = result.validationErrors.length === 0;
  const spider = d.studies.map((s, i) => {
    const tp = tpByIndex(i);
    const base = { timeDays: round1(s.timeDays - d.firstTimeDays), date: s.date };
    if (partial) return { ...base, pctChangeFromBaseline: i === 0 ? 0 : tracked[i] ?? null, response: null, newLesion: false };
    return {
      ...base,
      pctChangeFromBaseline: i === 0 ? (valid && result.baselineSum ? 0 : null) : tp?.pctChangeFromBaseline ?? null,
      // iRECIST cohorts report iRECIST labels (iUPD, iCPD, ...), not the RECIST 1.1 ones.
      response: i === 0 ? null : tp?.iOverallResponse ?? tp?.overallResponse ?? null,
      newLesion: tp?.newLesion ?? false,
    };
  });
  const pcts = spider.slice(1).map((p) => p.pctChangeFromBaseline).filter((p): p is number => p !== null);
  const progressionDate = irecist ? irecist.progressionDate : result.progressionDate;
  const progressionIndex = progressionDate ? d.recist.dates.indexOf(progressionDate) : -1;
  const summary: PatientSummary = {
    timeAxis: d.studies[0]?.timeAxis ?? "date",
    studyCount: d.studies.length,
    trackCount: d.tracks.length,
    lastTimeDays: round1((d.studies.at(-1)?.timeDays ?? 0) - d.firstTimeDays),
    spider,
    bestPctChange: pcts.length ? Math.min(...pcts) : null,
    bestOverallResponse: irecist?.bestOverallResponse ?? result.bestOverallResponse ?? null,
    progressionTimeDays: progressionIndex >= 0 ? round1(d.studies[progressionIndex]!.timeDays - d.firstTimeDays) : null,
    sumBasis: sumForecast?.request.subject.kind === "sumOfDiameters" ? sumForecast.request.subject.basis : "allLesions",
  };

  const document: TimelineDocument = {
    patient: { ...patient },
    timeAxis: summary.timeAxis,
    annotations: { mode: partial ? "partial" : "complete", note: partial ? PARTIAL_ANNOTATIONS_NOTE : null },
    studies,
    tracks,
    events: d.events,
    recist: {
      protocolVersion: cohort.protocolVersion,
      designationsProposed: d.recist.proposed,
      designations: d.recist.designations,
      syntheticDates: d.recist.syntheticDates,
      reported: !partial,
      inputWarnings: d.recist.conflicts,
      result,
    },
    forecasts: {
      model,
      timeAxis: summary.timeAxis,
      horizonsDays: sumForecast?.request.horizonsDays ?? [],
      sumOfDiameters: sumForecast ? { basis: summary.sumBasis, forecasts: sumForecast.forecasts } : null,
    },
  };
  return { document, summary };
}
