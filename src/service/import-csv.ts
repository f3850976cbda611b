import { CsvFatalError, type CsvSource } from "../io/csv-stream.ts";
import { readObservationsCsv } from "../io/observations-csv.ts";
import type { Ctx } from "./context.ts";
import { AppError } from "./errors.ts";
import { ensureImportCohort, ImportRun, type ImportProgress, type ImportSummary } from "./import-summary.ts";

/**
 * Imports the flat observations CSV (README, "Observations CSV"): streamed, one ingestPatient
 * transaction per patient through the API's path. Bad rows are rejected with line and reason.
 */
export async function importObservationsCsv({ ctx, cohortId, source, createCohort = false, onProgress, concurrency = 1 }: {
  ctx: Ctx;
  cohortId: string;
  source: CsvSource;
  createCohort?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Patients ingested at once (use >1 on PostgreSQL). */
  concurrency?: number;
}): Promise<ImportSummary> {
  await ensureImportCohort(ctx, cohortId, createCohort, "CSV import");
  const run = new ImportRun(ctx, "csv", cohortId, onProgress, concurrency);
  try {
    for await (const ev of readObservationsCsv(source)) {
      if (ev.kind === "rejected") run.reject(ev.line, ev.reason);
      else await run.patient(ev.batch, ev.lines);
    }
    await run.drain();
  } catch (e) {
    await run.drain();
    if (!(e instanceof CsvFatalError)) throw e;
    if (run.summary.rowsRead === 0) throw new AppError("validation_failed", e.message, [{ path: e.line === 1 || e.line === null ? "header" : `line ${e.line}`, message: e.message }]);
    run.abort(e.line, e.message);
  }
  return run.finish();
}
