import type { Tx } from "../db/client.ts";
import { cohortSettingsOf, findCohort } from "../db/queries/cohorts.ts";
import { findPatients, loadCorrectionsOf, loadStudiesOf, patientRecordOf, recistAnnotationsOf, writeDerivedOf } from "../db/queries/patients.ts";
import { forecastSeries } from "../domain/growth/forecast.ts";
import { cohortCalibration, COHORT_CALIBRATION_WINDOW, type IntervalCalibration } from "../domain/growth/cohort-calibration.ts";
import { forecastRecords, scoreArrived } from "../domain/growth/forecast-scoring.ts";
import { loadPendingForecastsOf, readCalibrationInputs, writeForecastRecordsOf } from "../db/queries/forecasts.ts";
import { derivePatient } from "../domain/timeline/derive.ts";
import { buildTimeline } from "../domain/timeline/document.ts";
import { planForecasts, type ForecastRequest } from "../domain/timeline/forecast-plan.ts";
import type { GrowthPredictor } from "../domain/growth/predictor.ts";
import { afterCommit, nowIso, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/**
 * Classical fits cost ~60 ms per series for all six models, so per track only the two tumour
 * kinetics models clinicians read rates from (exponential g, Stein-Fojo g and d) are fitted;
 * the sum of diameters gets all six. The trained model forecasts every series.
 */
const TRACK_CLASSICAL_MODELS = ["exponential", "steinFojo"] as const;
/** Fits that have not converged by then are flat regions where more iterations change little. */
const SERVICE_FIT_ITERATIONS = 100;

async function forecastRequests(requests: ForecastRequest[], predictor: GrowthPredictor, calibration: IntervalCalibration) {
  const out: Awaited<ReturnType<typeof forecastSeries>> = new Array(requests.length);
  const groups = [
    { pick: (r: ForecastRequest) => r.subject.kind === "track", options: { classicalModels: TRACK_CLASSICAL_MODELS, maxIterations: SERVICE_FIT_ITERATIONS } },
    { pick: (r: ForecastRequest) => r.subject.kind !== "track", options: { maxIterations: SERVICE_FIT_ITERATIONS } },
  ];
  for (const g of groups) {
    const idx = requests.flatMap((r, i) => (g.pick(r) ? [i] : []));
    if (idx.length === 0) continue;
    const result = await forecastSeries(idx.map((i) => requests[i]!), idx.map((i) => requests[i]!.horizonsDays), predictor, { ...g.options, calibration });
    idx.forEach((i, k) => (out[i] = result[k] ?? []));
  }
  return out;
}

/** Four decimals are finer than any CT measurement; this keeps stored timelines small and readable. */
const roundForJson = (_key: string, value: unknown): unknown =>
  typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1e4) / 1e4 : value;

/**
 * Re-derives everything of one patient from stored facts (studies, observations, people's
 * corrections and RECIST inputs) and stores tracks, links and the timeline document, in the
 * caller's transaction. The caller holds the patient lock and has bumped the revision.
 */
export async function recomputePatient({ ctx, tx, cohortId, patientId }: { ctx: Ctx; tx: Tx; cohortId: string; patientId: string }): Promise<number> {
  return (await recomputePatients({ ctx, tx, cohortId, patientIds: [patientId] })).get(patientId)!;
}

/**
 * recomputePatient for several patients of one cohort at once: the same documents, with the
 * reads and writes batched (a fixed number of statements) and one predictor call for all
 * their series. Returns each patient's revision.
 */
export async function recomputePatients({ ctx, tx, cohortId, patientIds }: { ctx: Ctx; tx: Tx; cohortId: string; patientIds: readonly string[] }): Promise<Map<string, number>> {
  // Independent reads sent together (one round trip on PostgreSQL).
  const [cohortRow, patientRows, studiesOf, correctionsOf, pendingOf, scoredIntervals] = await Promise.all([
    findCohort(tx, cohortId),
    findPatients(tx, cohortId, patientIds),
    loadStudiesOf(tx, cohortId, patientIds),
    loadCorrectionsOf(tx, cohortId, patientIds),
    loadPendingForecastsOf(tx, cohortId, patientIds),
    readCalibrationInputs(tx, cohortId, COHORT_CALIBRATION_WINDOW),
  ]);
  const missing = patientIds.find((id) => !patientRows.has(id));
  if (!cohortRow || missing !== undefined) throw notFound(`patient ${missing ?? patientIds[0]} of cohort ${cohortId}`);
  const cohort = cohortSettingsOf(cohortRow);
  const derived = patientIds.map((patientId) => {
    const row = patientRows.get(patientId)!;
    const derivation = derivePatient({
      studies: studiesOf.get(patientId) ?? [],
      corrections: correctionsOf.get(patientId) ?? [],
      recist: recistAnnotationsOf(row),
      referenceDate: row.referenceDate,
      cohort,
    });
    return { row, derivation, requests: planForecasts(derivation, cohort) };
  });
  const forecasts = await forecastRequests(derived.flatMap((d) => d.requests), ctx.predictor, cohortCalibration(scoredIntervals));
  let next = 0;
  const scoring: Parameters<typeof writeForecastRecordsOf>[2][number][] = [];
  const model = { kind: ctx.predictor.kind, version: ctx.predictor.version };
  const rows = derived.map(({ row, derivation, requests }) => {
    const outcomes = requests.map((request) => ({ request, forecasts: forecasts[next++] ?? [] }));
    const { document, summary } = buildTimeline(patientRecordOf(row), cohort, derivation, outcomes, model);
    const origin = derivation.studies.at(-1)?.key;
    scoring.push({
      patientId: row.patientId,
      records: origin === undefined ? [] : forecastRecords(requests, outcomes.map((o) => o.forecasts), origin),
      scores: scoreArrived(pendingOf.get(row.patientId) ?? [], derivation),
    });
    return {
      patientId: row.patientId,
      tracks: derivation.tracks.map((t) => ({ trackId: t.trackId, label: t.label, observationIds: t.points.map((p) => p.observationId) })),
      links: derivation.links,
      timelineBody: JSON.stringify(document, roundForJson),
      summary: summary as unknown as Record<string, unknown>,
      revision: row.revision,
    };
  });
  await Promise.all([writeDerivedOf(tx, cohortId, rows, nowIso(ctx)), writeForecastRecordsOf(tx, cohortId, scoring, nowIso(ctx))]);
  // This process's own cache learns of the new revisions at commit (read-your-writes), not later.
  const cache = ctx.timelineCache;
  if (cache) afterCommit(tx, () => rows.forEach((r) => cache.announce(JSON.stringify([cohortId, r.patientId, r.revision]))));
  return new Map(rows.map((r) => [r.patientId, r.revision]));
}
