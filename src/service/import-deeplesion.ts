import { readDlInfo } from "../io/dl-info-csv.ts";
import { runImport, type ImportArgs, type ImportEvent, type ImportSummary } from "./import-summary.ts";

/**
 * Imports DeepLesion's DL_info.csv as released: streamed, one ingestPatient transaction per
 * patient (the API's path: matching, RECIST, forecasts). Bad rows are rejected with their
 * line and reason; the rest is imported. The same file twice changes nothing.
 */
export function importDeepLesion(args: ImportArgs): Promise<ImportSummary> {
  return runImport(args, "deeplesion", "DeepLesion import", events(args.source));
}

async function* events(source: ImportArgs["source"]): AsyncIterable<ImportEvent> {
  for await (const ev of readDlInfo(source)) {
    yield ev.kind === "rejected" ? ev : { kind: "patient", batch: ev.patient.batch, lines: ev.patient.lines, duplicatesMerged: ev.patient.duplicatesMerged };
  }
}
