import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { parseEnv } from "../env.ts";
import { openRuntime } from "../server.ts";
import { DicomReadError, parsePart10, parseDicomJson, type Dataset } from "../io/dicom-sr/shim.ts";
import { exportCohortSr } from "../service/export-sr.ts";
import { importSr, type SrInput } from "../service/import-sr.ts";
import type { ImportSummary } from "../service/import-summary.ts";
import { AppError } from "../service/errors.ts";
import { CliError, usageError } from "./errors.ts";
import { withRuntime } from "./export.ts";
import { createCohortViaServer, printSummary } from "./import.ts";
import { addServerOptions, chooseRoute, type RouteOpts, type ServerApi } from "./server-route.ts";

/** Files under the given paths (folders walked, sorted so runs are repeatable). */
function walk(paths: readonly string[]): string[] {
  return paths.flatMap((p) => (statSync(p).isDirectory() ? walk(readdirSync(p).sort().map((n) => join(p, n))) : [p]));
}

/** A `.json` file is DICOM JSON; anything else is read as Part 10 (what is not DICOM is refused with the reason). */
function inputOf(file: string): SrInput {
  const bytes = readFileSync(file);
  if (/\.json$/i.test(file)) {
    try {
      return { name: file, json: JSON.parse(bytes.toString("utf8")) };
    } catch {
      return { name: file, part10: new Uint8Array(0) };
    }
  }
  return { name: file, part10: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Image headers of a folder for 2-D coordinate geometry; unreadable files are ignored there. */
function imageHeaders(dir: string): Dataset[] {
  return walk([dir]).flatMap((f) => {
    try {
      const input = inputOf(f);
      return "json" in input ? parseDicomJson(input.json) : [parsePart10(input.part10)];
    } catch (e) {
      if (e instanceof DicomReadError) return [];
      throw e;
    }
  });
}

function printSrNotes(s: ImportSummary): void {
  if (!s.sr) return;
  console.log(`  ${s.sr.confirmedLinks} confirmed links from Tracking Unique Identifiers, ${s.sr.observationsWithoutPosition} observations without a position`);
  for (const g of s.sr.groupsSkipped) console.log(`  skipped ${g.reason}`);
}

interface ImportSrOpts extends RouteOpts { cohort?: string; createCohort?: boolean; json?: boolean; images?: string; patient?: string }

/** One multipart/related body (STOW-RS style) of reports and image headers: Part 10 or DICOM JSON parts. */
function multipartOf(inputs: readonly SrInput[], boundary: string): Uint8Array {
  const chunks: Buffer[] = [];
  for (const i of inputs) {
    const [type, bytes] = "part10" in i ? ["application/dicom", Buffer.from(i.part10)] : ["application/dicom+json", Buffer.from(JSON.stringify(i.json))];
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${type}\r\n\r\n`), bytes, Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return new Uint8Array(Buffer.concat(chunks));
}

/** The same import through a running server's upload endpoint (image headers travel as parts of the upload). */
async function importSrViaServer(api: ServerApi, inputs: SrInput[], imageFiles: SrInput[], opts: ImportSrOpts & { cohort: string }): Promise<void> {
  if (opts.createCohort) await createCohortViaServer(api, opts.cohort);
  console.error(`import sr: through the server at ${api.base}`);
  const boundary = `lesiontrack-${Date.now().toString(36)}`;
  const query = opts.patient ? `?patientId=${encodeURIComponent(opts.patient)}` : "";
  const { body } = await api.call<ImportSummary>("POST", `/v1/cohorts/${encodeURIComponent(opts.cohort)}/imports/sr${query}`, multipartOf([...inputs, ...imageFiles], boundary), `multipart/related; type="application/dicom"; boundary=${boundary}`);
  printSummary(body, process.memoryUsage().rss, opts.json ?? false);
  if (!opts.json) printSrNotes(body);
}

export function registerImportSr(importCmd: Command): void {
  addServerOptions(importCmd
    .command("sr"))
    .description("import DICOM SR TID 1500 measurement reports (Part 10 files, or DICOM JSON for .json); folders are walked")
    .argument("<paths...>", "report files or folders")
    .option("--cohort <id>", "cohort to import into")
    .option("--create-cohort", "create the cohort when it does not exist")
    .option("--images <dir>", "CT/MR image headers (Part 10 or DICOM JSON) that place 2-D coordinates in patient mm")
    .option("--patient <id>", "patient of reports that carry no PatientID")
    .option("--json", "print the summary as JSON")
    .action(async (paths: string[], opts: ImportSrOpts) => {
      if (!opts.cohort) throw usageError("import sr: --cohort ID is required (the cohort to import into; add --create-cohort for a new one)");
      const inputs = walk(paths).map(inputOf);
      const route = chooseRoute(opts, `write scope on cohort ${opts.cohort}${opts.createCohort ? " (*:admin to create it)" : ""}`);
      if (route.kind === "server") return importSrViaServer(route.api, inputs, opts.images ? walk([opts.images]).map(inputOf) : [], opts as ImportSrOpts & { cohort: string });
      const images = opts.images ? imageHeaders(opts.images) : [];
      const rt = await openRuntime(parseEnv(), route.db);
      try {
        const t0 = process.memoryUsage().rss;
        const summary = await importSr({ ctx: { ...rt.deps, actor: "cli-import-sr" }, cohortId: opts.cohort, inputs, images, createCohort: opts.createCohort ?? false, ...(opts.patient ? { patientId: opts.patient } : {}) });
        printSummary(summary, Math.max(t0, process.memoryUsage().rss), opts.json ?? false);
        if (!opts.json) printSrNotes(summary);
        if (summary.rowsImported === 0 && summary.rowsRejected > 0) process.exitCode = 1;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        throw new CliError(`import sr: ${e.message}`);
      } finally {
        await rt.handle.close();
      }
    });
}

export function registerExportSr(exportCmd: Command): void {
  exportCmd
    .command("sr")
    .description("write one DICOM SR TID 1500 report per study into DIR/<patient>/<SOP Instance UID>.dcm")
    .requiredOption("--cohort <id>", "cohort to export")
    .requiredOption("--out <dir>", "output folder (created)")
    .option("--db <target>", "memory | PATH | postgres://...")
    .action(async (opts: { cohort: string; out: string; db?: string }) =>
      withRuntime(opts.db, async (rt) => {
        const t0 = performance.now();
        const counts = await exportCohortSr({
          ctx: { ...rt.deps, actor: "cli-export" },
          cohortId: opts.cohort,
          sink: async (f) => {
            const dir = join(opts.out, f.patientId);
            mkdirSync(dir, { recursive: true });
            writeFileSync(join(dir, `${f.sopInstanceUid}.dcm`), f.bytes);
          },
        });
        console.log(`cohort ${opts.cohort}: ${counts.patients} patients, ${counts.reports} reports -> ${opts.out} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      }),
    );
}

