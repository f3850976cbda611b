import { createReadStream, createWriteStream, statSync } from "node:fs";
import { once } from "node:events";
import type { Command } from "commander";
import cliProgress from "cli-progress";
import { parseEnv } from "../env.ts";
import { openRuntime } from "../server.ts";
import { generateDlInfo } from "../io/dl-info-generate.ts";
import { importDeepLesion } from "../service/import-deeplesion.ts";
import { importObservationsCsv } from "../service/import-csv.ts";
import type { ImportProgress, ImportSummary } from "../service/import-summary.ts";
import { AppError } from "../service/errors.ts";
import { CliError, usageError } from "./errors.ts";
import { addServerOptions, chooseRoute, ServerApi, ServerError, type RouteOpts } from "./server-route.ts";
import { registerImportSr } from "./sr.ts";

interface ImportOpts extends RouteOpts { cohort?: string; createCohort?: boolean; json?: boolean }

/** Peak resident memory while a command runs (sampled; the summary reports it). */
function rssPeak() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  timer.unref();
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

/** The file as a byte stream, feeding a progress bar on a terminal (by bytes: the row count is unknown until the end). */
function fileSource(file: string) {
  const size = statSync(file).size;
  const bar = process.stdout.isTTY ? new cliProgress.SingleBar({ format: "import [{bar}] {percentage}% | {rows} rows | {patients} patients | {duration_formatted}", hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  let bytes = 0;
  bar?.start(size, 0, { rows: 0, patients: 0 });
  // Counted as the import pulls chunks (a "data" listener would start the flow before the parser is attached).
  async function* stream(): AsyncGenerator<Buffer> {
    for await (const chunk of createReadStream(file)) {
      bytes += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  return {
    stream: stream(),
    onProgress: (p: ImportProgress) => bar?.update(bytes, { rows: p.rowsRead, patients: p.patients }),
    stop: () => {
      bar?.update(size);
      bar?.stop();
    },
  };
}

export function printSummary(s: ImportSummary, peakRssBytes: number, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...s, peakRssMiB: Math.round(peakRssBytes / 1048576) }, null, 2));
    return;
  }
  // DICOM SR imports count files (reports), the CSV formats rows.
  const unit = s.format === "dicom-sr" ? { many: "files", one: "file" } : { many: "rows", one: "line" };
  console.log(`cohort ${s.cohortId} (${s.format}): ${s.rowsRead} ${unit.many} read, ${s.rowsImported} imported, ${s.rowsRejected} rejected`);
  console.log(`  ${s.patients} patients (${s.patientsChanged} changed), ${s.studies} studies, ${s.lesions} lesions, ${s.duplicatesMerged} duplicate measurements merged`);
  console.log(`  ${s.seconds.toFixed(2)} s, ${s.rowsPerSecond} rows/s, peak RSS ${Math.round(peakRssBytes / 1048576)} MiB`);
  for (const r of s.rejected) console.log(`  rejected ${unit.one} ${r.line}: ${r.reason}`);
  if (s.rowsRejected > s.rejected.length) console.log(`  ... and ${s.rowsRejected - s.rejected.length} more rejected ${unit.many}`);
  if (s.aborted) console.log(`  ABORTED at ${s.aborted.line === null ? "end of file" : `line ${s.aborted.line}`}: ${s.aborted.reason}`);
}

async function writeLines(file: string, lines: Iterable<string>): Promise<number> {
  const out = createWriteStream(file);
  let n = 0;
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, "drain");
    n++;
  }
  out.end();
  await once(out, "finish");
  return n;
}

const cohortHint = (e: AppError, cohortId: string) =>
  e.code === "not_found" && e.message === `cohort ${cohortId} not found` ? `cohort ${cohortId} not found; add --create-cohort to create it` : e.message;

async function runImport(format: "deeplesion" | "csv", file: string, opts: ImportOpts): Promise<void> {
  if (!opts.cohort) throw usageError(`import ${format}: --cohort ID is required (the cohort to import into; add --create-cohort for a new one)`);
  statSync(file); // a missing file is one line before anything opens
  const route = chooseRoute(opts, `write scope on cohort ${opts.cohort}${opts.createCohort ? " (*:admin to create it)" : ""}`);
  if (route.kind === "server") return importViaServer(route.api, format, file, opts as ImportOpts & { cohort: string });
  const peak = rssPeak();
  const rt = await openRuntime(parseEnv(), route.db);
  const src = fileSource(file);
  try {
    const args = { ctx: { ...rt.deps, actor: `cli-import-${format}` }, cohortId: opts.cohort, source: src.stream, createCohort: opts.createCohort ?? false, onProgress: src.onProgress, concurrency: rt.handle.kind === "postgres" ? 4 : 1 };
    const summary = format === "deeplesion" ? await importDeepLesion(args) : await importObservationsCsv(args);
    src.stop();
    printSummary(summary, peak(), opts.json ?? false);
    if (summary.aborted) process.exitCode = 1;
  } catch (e) {
    src.stop();
    if (!(e instanceof AppError)) throw e;
    throw new CliError(`import ${format}: ${cohortHint(e, opts.cohort)}`);
  } finally {
    await rt.handle.close();
  }
}

/** --create-cohort through a running server: creates the cohort unless it exists. */
export async function createCohortViaServer(api: ServerApi, cohortId: string): Promise<void> {
  const exists = await api.call("GET", `/v1/cohorts/${encodeURIComponent(cohortId)}`).then(() => true, (e: unknown) => (e instanceof ServerError && e.status === 404 ? false : Promise.reject(e)));
  if (!exists) await api.call("POST", "/v1/cohorts", { cohortId, name: cohortId, protocol: {}, settings: { scanIntervalDays: 56, bodySizeMm: [350, 300, 900] } });
}

/** The same import through a running server's upload endpoint (the file is streamed, not buffered). */
async function importViaServer(api: ServerApi, format: "deeplesion" | "csv", file: string, opts: ImportOpts & { cohort: string }): Promise<void> {
  const peak = rssPeak();
  const cohortPath = `/v1/cohorts/${encodeURIComponent(opts.cohort)}`;
  if (opts.createCohort) await createCohortViaServer(api, opts.cohort);
  console.error(`import ${format}: through the server at ${api.base}`);
  try {
    const { body } = await api.call<ImportSummary>("POST", `${cohortPath}/imports/${format}`, createReadStream(file), "text/csv");
    printSummary(body, peak(), opts.json ?? false);
    if (body.aborted) process.exitCode = 1;
  } catch (e) {
    if (e instanceof ServerError && e.status === 404 && !opts.createCohort) throw new CliError(`import ${format}: cohort ${opts.cohort} not found on ${api.base} (or the key cannot see it); add --create-cohort to create it`);
    throw e;
  }
}

export function registerImport(program: Command): void {
  const cmd = program.command("import").description("import DeepLesion DL_info.csv, the flat observations CSV or DICOM SR measurement reports into a cohort");
  addServerOptions(cmd
    .command("deeplesion"))
    .description("import DeepLesion's DL_info.csv as released (streamed); or --generate N rows of the same shape to --out")
    .argument("[file]", "DL_info.csv")
    .option("--cohort <id>", "cohort to import into")
    .option("--db <target>", "memory | PATH | postgres://... (default: DATABASE_URL, else ./data/pglite)")
    .option("--create-cohort", "create the cohort when it does not exist")
    .option("--json", "print the summary as JSON")
    .option("--generate <rows>", "write a synthetic DL_info.csv with this many rows (patients and studies in the released proportions)")
    .option("--patients <n>", "with --generate: number of patients")
    .option("--studies <n>", "with --generate: number of studies")
    .option("--seed <n>", "with --generate: random seed", "6")
    .option("--out <file>", "with --generate: output file")
    .action(async (file: string | undefined, opts: ImportOpts & { generate?: string; patients?: string; studies?: string; seed: string; out?: string }) => {
      if (opts.generate) {
        if (!opts.out) throw usageError("import deeplesion: --generate needs --out FILE");
        const n = await writeLines(opts.out, generateDlInfo({
          rows: Number(opts.generate), seed: Number(opts.seed),
          ...(opts.patients ? { patients: Number(opts.patients) } : {}), ...(opts.studies ? { studies: Number(opts.studies) } : {}),
        }));
        console.log(`wrote ${n - 1} rows to ${opts.out}`);
        return;
      }
      if (!file) throw usageError("import deeplesion: give the DL_info.csv file (or --generate N --out FILE)");
      await runImport("deeplesion", file, opts);
    });
  addServerOptions(cmd
    .command("csv"))
    .description("import the flat observations CSV (one row per observation; see README)")
    .argument("<file>", "observations CSV")
    .option("--cohort <id>", "cohort to import into")
    .option("--db <target>", "memory | PATH | postgres://...")
    .option("--create-cohort", "create the cohort when it does not exist")
    .option("--json", "print the summary as JSON")
    .action(async (file: string, opts: ImportOpts) => runImport("csv", file, opts));
  registerImportSr(cmd);
}
