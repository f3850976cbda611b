import { createWriteStream, mkdirSync } from "node:fs";
import { once } from "node:events";
import type { Command } from "commander";
import { parseEnv } from "../env.ts";
import { openRuntime } from "../server.ts";
import { observationCsvLine, observationsCsvHeader } from "../io/observations-csv.ts";
import { RS, TR, TU } from "../io/sdtm/columns.ts";
import { DomainWriter } from "../io/sdtm/write.ts";
import { exportObservationsCsv } from "../service/export-csv.ts";
import { exportSdtm } from "../service/export-sdtm.ts";
import { AppError } from "../service/errors.ts";
import { registerExportSr } from "./sr.ts";

interface ExportOpts { cohort: string; out: string; db?: string }

export async function withRuntime(db: string | undefined, fn: (rt: Awaited<ReturnType<typeof openRuntime>>) => Promise<void>): Promise<void> {
  const rt = await openRuntime(parseEnv(), db);
  try {
    await fn(rt);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    console.error(`export: ${e.message}`);
    process.exitCode = 1;
  } finally {
    await rt.handle.close();
  }
}

export function registerExport(program: Command): void {
  const cmd = program.command("export").description("export a cohort: flat observations CSV, CDISC SDTM (TU, TR, RS) or DICOM SR (one TID 1500 report per study)");
  cmd
    .command("csv")
    .description("write the cohort's observations as the flat CSV (one row per observation; see README)")
    .requiredOption("--cohort <id>", "cohort to export")
    .requiredOption("--out <file>", "CSV file to write")
    .option("--db <target>", "memory | PATH | postgres://...")
    .action(async (opts: ExportOpts) =>
      withRuntime(opts.db, async (rt) => {
        const t0 = performance.now();
        const out = createWriteStream(opts.out);
        out.write(observationsCsvHeader());
        const counts = await exportObservationsCsv({
          ctx: { ...rt.deps, actor: "cli-export" },
          cohortId: opts.cohort,
          sink: async (rows) => {
            for (const r of rows) if (!out.write(observationCsvLine(r))) await once(out, "drain");
          },
        });
        out.end();
        await once(out, "finish");
        console.log(`cohort ${opts.cohort}: ${counts.patients} patients, ${counts.studies} studies, ${counts.rows} rows -> ${opts.out} in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
      }),
    );
  cmd
    .command("sdtm")
    .description("write CDISC SDTM TU, TR, RS of the cohort as tu/tr/rs .csv and .json (Dataset-JSON 1.1) into DIR")
    .requiredOption("--cohort <id>", "cohort to export")
    .requiredOption("--out <dir>", "output folder (created)")
    .option("--db <target>", "memory | PATH | postgres://...")
    .action(async (opts: ExportOpts) =>
      withRuntime(opts.db, async (rt) => {
        const t0 = performance.now();
        mkdirSync(opts.out, { recursive: true });
        const meta = { createdAt: rt.deps.clock.now().toISOString(), studyId: opts.cohort, sourceSystem: { name: "lesiontrack", version: "0.1.0" } };
        const writers = { tu: new DomainWriter(opts.out, TU, meta), tr: new DomainWriter(opts.out, TR, meta), rs: new DomainWriter(opts.out, RS, meta) };
        try {
          const counts = await exportSdtm({
            ctx: { ...rt.deps, actor: "cli-export" },
            cohortId: opts.cohort,
            sink: async (rows) => {
              await writers.tu.write(rows.tu);
              await writers.tr.write(rows.tr);
              await writers.rs.write(rows.rs);
            },
          });
          console.log(`cohort ${opts.cohort}: ${counts.patients} patients -> TU ${counts.tu}, TR ${counts.tr}, RS ${counts.rs} rows in ${opts.out} (tu/tr/rs .csv and .json) in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
        } finally {
          await Promise.all([writers.tu.close(), writers.tr.close(), writers.rs.close()]);
        }
      }),
    );
  registerExportSr(cmd);
}
