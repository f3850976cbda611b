import { and, desc, eq, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Db, Tx } from "../client.ts";
import { forecastRecords } from "../schema/index.ts";
import { ofPatients } from "./of-patients.ts";
import type { ForecastRecord, ForecastScore } from "../../domain/growth/forecast-scoring.ts";
import type { ScoredInterval } from "../../domain/growth/cohort-calibration.ts";
import type { ScoredForecast } from "../../domain/growth/skill.ts";

const recordColumns = {
  patientId: forecastRecords.patientId,
  subject: forecastRecords.subject,
  originStudyKey: forecastRecords.originStudyKey,
  step: forecastRecords.step,
  horizonDays: forecastRecords.horizonDays,
  lastMm: forecastRecords.lastMm,
  nadirMm: forecastRecords.nadirMm,
  predMm: forecastRecords.predMm,
  q10Mm: forecastRecords.q10Mm,
  q90Mm: forecastRecords.q90Mm,
  pProgression: forecastRecords.pProgression,
  modelVersion: forecastRecords.modelVersion,
  calibration: forecastRecords.calibration,
  intervalScale: forecastRecords.intervalScale,
};

/** The not-yet-scored forecasts of some patients, per patient. */
export async function loadPendingForecastsOf(tx: Tx, cohortId: string, patientIds: readonly string[]): Promise<Map<string, ForecastRecord[]>> {
  const rows = await tx.select(recordColumns).from(forecastRecords).where(and(ofPatients(forecastRecords, cohortId, patientIds), isNull(forecastRecords.scoredAt)));
  const out = new Map<string, ForecastRecord[]>();
  for (const { patientId, ...r } of rows) out.set(patientId, [...(out.get(patientId) ?? []), r]);
  return out;
}

/** Records new forecasts (the first record of a forecast stands) and writes the scores of arrived ones. */
export async function writeForecastRecordsOf(
  tx: Tx,
  cohortId: string,
  items: readonly { patientId: string; records: readonly ForecastRecord[]; scores: readonly ForecastScore[] }[],
  at: string,
): Promise<void> {
  const records = items.flatMap((i) => i.records.map((r) => ({ cohortId, patientId: i.patientId, ...r, createdAt: at })));
  const scores = items.flatMap((i) => i.scores.map((s) => ({ patient_id: i.patientId, ...s })));
  const writes: Promise<unknown>[] = [];
  for (let k = 0; k < records.length; k += ROW_CHUNK) writes.push(tx.insert(forecastRecords).values(records.slice(k, k + ROW_CHUNK)).onConflictDoNothing());
  if (scores.length > 0) {
    // One statement for every score: the rows come in as a JSON array.
    writes.push(
      tx.execute(sql`
        update forecast_records f set
          target_study_key = s."targetStudyKey", actual_mm = s."actualMm", abs_error_mm = s."absErrorMm",
          locf_abs_error_mm = s."locfAbsErrorMm", inside = s.inside, progressed = s.progressed, scored_at = ${at}
        from jsonb_to_recordset(${JSON.stringify(scores)}::jsonb) as s(patient_id text, subject text, "originStudyKey" text, step int,
          "targetStudyKey" text, "actualMm" float8, "absErrorMm" float8, "locfAbsErrorMm" float8, inside boolean, progressed boolean)
        where f.cohort_id = ${cohortId} and f.patient_id = s.patient_id and f.subject = s.subject
          and f.origin_study_key = s."originStudyKey" and f.step = s.step and f.scored_at is null`),
    );
  }
  await Promise.all(writes);
}

/** Rows per multi-row insert: well under PostgreSQL's 65,535 parameters a statement. */
const ROW_CHUNK = 2000;

/** The cohort's most recent scored forecasts, as the recalibration reads them. */
export async function readCalibrationInputs(db: Db | Tx, cohortId: string, limit: number): Promise<ScoredInterval[]> {
  const rows = await db
    .select({ predMm: forecastRecords.predMm, q10Mm: forecastRecords.q10Mm, q90Mm: forecastRecords.q90Mm, intervalScale: forecastRecords.intervalScale, actualMm: forecastRecords.actualMm })
    .from(forecastRecords)
    .where(and(eq(forecastRecords.cohortId, cohortId), isNotNull(forecastRecords.scoredAt), ne(forecastRecords.calibration, "fallback")))
    .orderBy(desc(forecastRecords.scoredAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, actualMm: r.actualMm ?? 0 }));
}

/** Every scored forecast of a cohort with its model version and subject kind (skill summaries). */
export async function readScoredForecasts(db: Db | Tx, cohortId: string): Promise<(ScoredForecast & { modelVersion: string; subject: string; calibration: string })[]> {
  const rows = await db
    .select({
      modelVersion: forecastRecords.modelVersion,
      subject: forecastRecords.subject,
      calibration: forecastRecords.calibration,
      absErrorMm: forecastRecords.absErrorMm,
      locfAbsErrorMm: forecastRecords.locfAbsErrorMm,
      inside: forecastRecords.inside,
      pProgression: forecastRecords.pProgression,
      progressed: forecastRecords.progressed,
    })
    .from(forecastRecords)
    .where(and(eq(forecastRecords.cohortId, cohortId), isNotNull(forecastRecords.scoredAt)));
  return rows.map((r) => ({
    ...r,
    absErrorMm: r.absErrorMm ?? 0,
    locfAbsErrorMm: r.locfAbsErrorMm ?? 0,
    inside: r.inside ?? false,
    progressed: r.progressed ?? false,
  }));
}
