import type { Tx } from "../db/client.ts";
import { cohortSettingsOf, findCohort } from "../db/queries/cohorts.ts";
import { findPatient, loadCorrections, loadStudies, patientRecordOf, recistAnnotationsOf, writeDerived } from "../db/queries/patients.ts";
import { forecastSeries } from "../domain/growth/forecast.ts";
import { derivePatient } from "../domain/timeline/derive.ts";
import { buildTimeline } from "../domain/timeline/document.ts";
import { planForecasts } from "../domain/timeline/forecast-plan.ts";
import { nowIso, type Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/** Four decimals are finer than any CT measurement; this keeps stored timelines small and readable. */
const roundForJson = (_key: string, value: unknown): unknown =>
  typeof value === "number" && !Number.isInteger(value) ? Math.round(value * 1e4) / 1e4 : value;

/**
 * Re-derives everything of one patient from stored facts (studies, observations, people's
 * corrections and RECIST inputs) and stores tracks, links and the timeline document, in the
 * caller's transaction. The caller holds the patient lock and has bumped the revision.
 */
export async function recomputePatient({ ctx, tx, cohortId, patientId }: { ctx: Ctx; tx: Tx; cohortId: string; patientId: string }): Promise<number> {
  const cohortRow = await findCohort(tx, cohortId);
  const patientRow = await findPatient(tx, cohortId, patientId);
  if (!cohortRow || !patientRow) throw notFound(`patient ${patientId} of cohort ${cohortId}`);
  const cohort = cohortSettingsOf(cohortRow);
  const studies = await loadStudies(tx, cohortId, patientId);
  const corrections = await loadCorrections(tx, cohortId, patientId);
  const derivation = derivePatient({
    studies,
    corrections,
    recist: recistAnnotationsOf(patientRow),
    referenceDate: patientRow.referenceDate,
    cohort,
  });
  const requests = planForecasts(derivation, cohort);
  const forecasts = await forecastSeries(
    requests.map((r) => ({ timesDays: r.timesDays, sizesMm: r.sizesMm })),
    requests.map((r) => r.horizonsDays),
    ctx.predictor,
  );
  const { document, summary } = buildTimeline(
    patientRecordOf(patientRow),
    cohort,
    derivation,
    requests.map((request, i) => ({ request, forecasts: forecasts[i] ?? [] })),
    { kind: ctx.predictor.kind, version: ctx.predictor.version },
  );
  await writeDerived(
    tx,
    cohortId,
    patientId,
    {
      tracks: derivation.tracks.map((t) => ({ trackId: t.trackId, label: t.label, observationIds: t.points.map((p) => p.observationId) })),
      links: derivation.links,
      timelineBody: JSON.stringify(document, roundForJson),
      summary: summary as unknown as Record<string, unknown>,
      revision: patientRow.revision,
    },
    nowIso(ctx),
  );
  return patientRow.revision;
}
