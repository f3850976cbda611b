import { CsvFatalError, type CsvSource } from "../io/csv-stream.ts";
import { readDlInfo } from "../io/dl-info-csv.ts";
import type { Ctx } from "./context.ts";
import { AppError } from "./errors.ts";
import { ensureImportCohort, ImportRun, type ImportProgress, type ImportSummary } from "./import-summary.ts";

/**
 * Imports DeepLesion's DL_info.csv as released: streamed, one ingestPatient transaction per
 * patient (the API's path: matching, RECIST, forecasts). Bad rows are rejected with their
 * line and reason; the rest is imported. The same file twice changes nothing.
 */
export async function importDeepLesion({ ctx, cohortId, source, createCohort = false, onProgress, concurrency = 1 }: {
  ctx: Ctx;
  cohortId: string;
  source: CsvSource;
  createCohort?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Patients ingested at once (use >1 on PostgreSQL). */
  concurrency?: number;
}): Promise<ImportSummary> {
  await ensureImportCohort(ctx, cohortId, createCohort, "DeepLesion import");
  const run = new ImportRun(ctx, "deeplesion", cohortId, onProgress, concurrency);
  try {
    for await (const ev of readDlInfo(source)) {
      if (ev.kind === "rejected") run.reject(ev.line, ev.reason);
      else await run.patient(ev.patient.batch, ev.patient.lines, { duplicatesMerged: ev.patient.duplicatesMerged });
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
