/**
 * Cohort views (spider, waterfall, swimmer) read from the per-patient summaries stored by
 * recomputePatient: one query per view, no timeline is opened or recomputed.
 */
import { readCohortSummaries, type CohortSummaryRow } from "../db/queries/views.ts";
import { resolveParams } from "../domain/recist/protocol.ts";
import type { Params } from "../domain/recist/types.ts";
import type { PatientSummary } from "../domain/timeline/document.ts";
import type { Ctx } from "./context.ts";
import { notFound } from "./errors.ts";

/** The RECIST thresholds a chart draws, as signed percent change from baseline (default -30 / +20). */
export interface ReferenceLines {
  partialResponsePct: number;
  progressionPct: number;
}

export type BestResponse = { unconfirmed: string; confirmed: string } | null;

interface Loaded {
  referenceLines: ReferenceLines;
  annotations: "complete" | "partial";
  requireConfirmation: boolean;
  patients: { patientId: string; s: PatientSummary }[];
}

/** Summaries written before a field existed lack it: read each field defensively. */
function normalise(raw: Record<string, unknown>): PatientSummary {
  const s = raw as Partial<PatientSummary>;
  return {
    timeAxis: s.timeAxis ?? "date",
    studyCount: s.studyCount ?? 0,
    trackCount: s.trackCount ?? 0,
    lastTimeDays: s.lastTimeDays ?? 0,
    spider: (s.spider ?? []).map((p) => ({ ...p, newLesion: p.newLesion ?? false })),
    bestPctChange: s.bestPctChange ?? null,
    bestOverallResponse: s.bestOverallResponse ?? null,
    progressionTimeDays: s.progressionTimeDays ?? null,
    sumBasis: s.sumBasis ?? "allLesions",
  };
}

async function load(ctx: Ctx, cohortId: string): Promise<Loaded> {
  const rows: CohortSummaryRow[] = await readCohortSummaries(ctx.db, cohortId);
  const first = rows[0];
  if (!first) throw notFound(`cohort ${cohortId}`);
  const params = resolveParams(first.protocol as Partial<Params>);
  return {
    referenceLines: { partialResponsePct: -params.prThresholdPct, progressionPct: params.pdThresholdPct },
    annotations: first.settings.annotations === "partial" ? "partial" : "complete",
    requireConfirmation: params.requireConfirmation,
    patients: rows.flatMap((r) => (r.patientId && r.summary ? [{ patientId: r.patientId, s: normalise(r.summary) }] : [])),
  };
}

/** The best overall response the cohort's protocol reports: confirmed when it requires confirmation. */
const reported = (bor: BestResponse, requireConfirmation: boolean): string | null =>
  bor ? (requireConfirmation ? bor.confirmed : bor.unconfirmed) : null;

/** Percent change of the sum of diameters from baseline per patient over time (baseline = 0 %). */
export async function getSpider({ ctx, cohortId }: { ctx: Ctx; cohortId: string }) {
  const v = await load(ctx, cohortId);
  return {
    cohortId,
    annotations: v.annotations,
    referenceLines: v.referenceLines,
    patients: v.patients.map(({ patientId, s }) => ({
      patientId,
      timeAxis: s.timeAxis,
      sumBasis: s.sumBasis,
      bestOverallResponse: s.bestOverallResponse,
      response: reported(s.bestOverallResponse, v.requireConfirmation),
      points: s.spider.map((p) => ({ timeDays: p.timeDays, date: p.date, pctChangeFromBaseline: p.pctChangeFromBaseline, response: p.response })),
    })),
  };
}

/**
 * Best (lowest) percent change from baseline per patient with the best overall response,
 * largest growth first as a waterfall is drawn; patients without a follow-up percent change
 * (single scan, no measurable disease) are listed apart as not evaluable.
 */
export async function getWaterfall({ ctx, cohortId }: { ctx: Ctx; cohortId: string }) {
  const v = await load(ctx, cohortId);
  const bars = v.patients
    .filter(({ s }) => s.bestPctChange !== null)
    .map(({ patientId, s }) => ({
      patientId,
      bestPctChange: s.bestPctChange as number,
      bestOverallResponse: s.bestOverallResponse,
      response: reported(s.bestOverallResponse, v.requireConfirmation),
      progressed: s.progressionTimeDays !== null,
    }))
    .sort((a, b) => b.bestPctChange - a.bestPctChange || a.patientId.localeCompare(b.patientId));
  return {
    cohortId,
    annotations: v.annotations,
    referenceLines: v.referenceLines,
    responseBasis: v.requireConfirmation ? ("confirmed" as const) : ("unconfirmed" as const),
    patients: bars,
    notEvaluable: v.patients.filter(({ s }) => s.bestPctChange === null).map(({ patientId }) => patientId),
  };
}

/** Time on study per patient (baseline to last scan) with the response at each scan and progression. */
export async function getSwimmer({ ctx, cohortId }: { ctx: Ctx; cohortId: string }) {
  const v = await load(ctx, cohortId);
  const lanes = v.patients
    .map(({ patientId, s }) => ({
      patientId,
      timeAxis: s.timeAxis,
      timeOnStudyDays: s.lastTimeDays,
      studyCount: s.studyCount,
      bestOverallResponse: s.bestOverallResponse,
      response: reported(s.bestOverallResponse, v.requireConfirmation),
      progressionTimeDays: s.progressionTimeDays,
      studies: s.spider.map((p) => ({ timeDays: p.timeDays, date: p.date, response: p.response, newLesion: p.newLesion })),
    }))
    .sort((a, b) => b.timeOnStudyDays - a.timeOnStudyDays || a.patientId.localeCompare(b.patientId));
  return { cohortId, annotations: v.annotations, patients: lanes };
}
