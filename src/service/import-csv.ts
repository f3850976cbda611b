import { readObservationsCsv } from "../io/observations-csv.ts";
import { runImport, type ImportArgs, type ImportSummary } from "./import-summary.ts";

/**
 * Imports the flat observations CSV (README, "Observations CSV"): streamed, one ingestPatient
 * transaction per patient through the API's path. Bad rows are rejected with line and reason.
 */
export function importObservationsCsv(args: ImportArgs): Promise<ImportSummary> {
  return runImport(args, "csv", "CSV import", readObservationsCsv(args.source));
}
