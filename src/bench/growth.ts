import { median } from "simple-statistics";
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { stringify } from "csv-stringify/sync";
import { GROWTH_MODEL_NAMES } from "../domain/growth/models.ts";
import { DEFAULT_MODEL_DIR } from "../forecast/load.ts";
import { loadOnnxPredictor, type OnnxPredictor } from "../forecast/onnx.ts";
import { createBaselinePredictor } from "../forecast/baseline.ts";
import { leaveOneStudyOut } from "../train/cross-validate.ts";
import { DEFAULT_GROWTH_DATA, readGrowthCsv, type GrowthRow } from "../train/data.ts";
import { fitCalibratedModel } from "../train/calibrate.ts";
import { printReplay, replayTrial } from "./growth-replay.ts";
import {
  benchCases,
  classicalForecasts,
  errorsByStudy,
  intervalSummary,
  locfForecasts,
  modelForecasts,
  type BenchCase,
  type PointForecast,
} from "../train/evaluate.ts";
import { growthFeatures } from "../domain/growth/features.ts";
import { baselineForecastsLoso, calibrationTable, grownSubset, lazyReference, type GrownSubset, type StudyCalibrationRow } from "../train/calibration-report.ts";
import { printCalibration } from "./growth-calibration.ts";

interface GrowthBenchOptions {
  data: string;
  json?: boolean;
  predictionsOut?: string;
  cv?: boolean;
  modelDir?: string;
  baselineData?: string;
  replay?: boolean;
}

/** Median ms per 1,000 forecasts of one onnxruntime batch run, over `reps` runs after a warm-up. */
async function inferenceMsPer1000(predictor: OnnxPredictor, cases: readonly BenchCase[], reps = 20): Promise<number> {
  const pool = cases.flatMap((c) => c.targets.map((t) => growthFeatures(c.history, t.horizonDays)));
  const rows = Array.from({ length: 1000 }, (_, i) => pool[i % pool.length]!);
  await predictor.predict(rows);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await predictor.predict(rows);
    times.push(performance.now() - t0);
  }
  return median(times);
}

function predictionsCsv(cases: readonly BenchCase[], forecasts: readonly PointForecast[][]): string {
  const records = cases.flatMap((c, i) =>
    c.targets.map((t, j) => {
      const f = forecasts[i]![j]!;
      return [c.row.id, t.weeks, f.predMm, f.q10Mm, f.q90Mm, f.pPd];
    }),
  );
  return stringify(records, { header: true, columns: ["Pt_hashID", "T_weeks", "pred_mm", "q10_mm", "q90_mm", "p_pd"] });
}

/** `--replay`: each study of the file replayed as a trial running in time (growth-replay.ts). */
function runReplay(rows: readonly GrowthRow[], opts: GrowthBenchOptions): void {
  const reference = lazyReference(opts.baselineData, (f) => readGrowthCsv(f).rows);
  const studies = [...new Set(rows.map((r) => r.study))].sort((a, b) => a - b);
  const results = studies.map((s) => {
    const others = rows.filter((r) => r.study !== s);
    const train = others.length > 0 ? others : (reference() ?? []);
    if (train.length === 0) throw new Error("bench growth --replay: no other study to fit the model on (pass --baseline-data)");
    return replayTrial(String(s), rows.filter((r) => r.study === s), fitCalibratedModel(train).params);
  });
  if (opts.json) console.log(JSON.stringify({ replay: results }, null, 2));
  else printReplay(results);
}

async function runGrowthBench(opts: GrowthBenchOptions): Promise<void> {
  const { rows, sha256 } = readGrowthCsv(opts.data);
  if (opts.replay) return runReplay(rows, opts);
  const cases = benchCases(rows);
  let onnx: OnnxPredictor | null = null;
  try {
    onnx = await loadOnnxPredictor(opts.modelDir ?? DEFAULT_MODEL_DIR);
  } catch (e) {
    if (!opts.cv) throw e;
    console.error(`bench growth: no usable ONNX model (${(e as Error).message}); --cv continues without inference timing`);
  }
  const ordered = opts.cv ? (await leaveOneStudyOut(rows)).forecasts : await modelForecasts(cases, (x) => onnx!.predict(x));
  const locf = errorsByStudy(cases, locfForecasts(cases));
  const methods: Record<string, ReturnType<typeof errorsByStudy> & { fitFailures?: number; notConverged?: number }> = {
    model: errorsByStudy(cases, ordered),
    locf,
  };
  for (const m of GROWTH_MODEL_NAMES) {
    const { forecasts, failed, notConverged } = classicalForecasts(cases, m);
    methods[m] = { ...errorsByStudy(cases, forecasts), fitFailures: failed, notConverged };
  }
  const baselineForecasts = await modelForecasts(cases, (x) => createBaselinePredictor().predict(x));
  const quantileBaseline = baselineForecastsLoso(rows, cases, lazyReference(opts.baselineData, (f) => readGrowthCsv(f).rows));
  const calibration = {
    baselineSource: quantileBaseline.source,
    perStudy: calibrationTable(cases, ordered, quantileBaseline.forecasts),
    grown: [2, 3].map((k) => grownSubset(cases, ordered, k)),
  };
  const result = {
    data: { sha256, rows: rows.length, benchRows: cases.length },
    model: opts.cv
      ? "leave-one-study-out: fitted in memory on the other studies, TS reference inference"
      : `${onnx!.version} (onnxruntime)${onnx!.card.data && (onnx!.card.data as { sha256?: string }).sha256 === sha256 ? " IN-SAMPLE: trained on this file" : ""}`,
    methods,
    ratioToLocf: Object.fromEntries(
      Object.entries(methods).map(([k, v]) => [
        k,
        {
          overall: v.overall.maeMm / locf.overall.maeMm,
          perStudy: Object.fromEntries(Object.entries(v.perStudy).map(([s, e]) => [s, e.maeMm / locf.perStudy[s]!.maeMm])),
        },
      ]),
    ),
    interval: { model: intervalSummary(cases, ordered), baselinePredictor: intervalSummary(cases, baselineForecasts) },
    calibration,
    inferenceMsPer1000: onnx ? await inferenceMsPer1000(onnx, cases) : null,
  };
  if (opts.predictionsOut) writeFileSync(opts.predictionsOut, predictionsCsv(cases, ordered));
  if (opts.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  printReport(result);
}

function printReport(r: {
  data: { rows: number; benchRows: number };
  model: string;
  methods: Record<string, ReturnType<typeof errorsByStudy> & { fitFailures?: number; notConverged?: number }>;
  ratioToLocf: Record<string, { overall: number }>;
  interval: Record<string, ReturnType<typeof intervalSummary>>;
  calibration: { baselineSource: string; perStudy: StudyCalibrationRow[]; grown: GrownSubset[] };
  inferenceMsPer1000: number | null;
}): void {
  const studies = Object.keys(r.methods.locf!.perStudy);
  console.log(`growth bench: ${r.data.benchRows} rows with >= 6 readings of ${r.data.rows}; last 2 held out`);
  console.log(`model: ${r.model}`);
  const head = ["method", "MAE mm", "x LOCF", "MAE normvol", ...studies.map((s) => `S${s} mm (xLOCF)`), "fit fails (LOCF used)", "not converged"];
  console.log(head.join("\t"));
  for (const [name, m] of Object.entries(r.methods)) {
    const loc = r.methods.locf!;
    const per = studies.map((s) => `${m.perStudy[s]!.maeMm.toFixed(3)} (${(m.perStudy[s]!.maeMm / loc.perStudy[s]!.maeMm).toFixed(3)})`);
    console.log([name, m.overall.maeMm.toFixed(3), r.ratioToLocf[name]!.overall.toFixed(3), m.overall.maeNormvol.toFixed(6), ...per, m.fitFailures ?? "", m.notConverged ?? ""].join("\t"));
  }
  for (const [name, i] of Object.entries(r.interval)) {
    console.log(
      `${name}: 80% interval coverage ${i.coverage80.toFixed(3)} (${i.points} points), median width ${i.medianWidthMm.toFixed(2)} mm; ` +
        `Brier p(PD) ${i.brier.toFixed(4)} vs base rate ${i.brierBaseRate.toFixed(4)} (rate ${i.baseRate.toFixed(3)})`,
    );
  }
  printCalibration(r.calibration.perStudy, r.calibration.grown, r.calibration.baselineSource);
  console.log(`onnxruntime inference: ${r.inferenceMsPer1000 === null ? "n/a" : r.inferenceMsPer1000.toFixed(3)} ms per 1,000 forecasts (one batch, median of 20)`);
}

/** `bench growth --data FILE.csv [--json] [--predictions-out FILE] [--cv] [--model-dir DIR]`. */
export function registerGrowthBench(bench: Command): void {
  bench
    .command("growth")
    .description("growth forecasts: rows with >= 6 readings, last 2 held out (TumorGrowth.jl model battle)")
    .option("--data <file>", "growth CSV", DEFAULT_GROWTH_DATA)
    .option("--json", "print JSON")
    .option("--predictions-out <file>", "CSV of the model's forecast per held-out point")
    .option("--cv", "leave-one-study-out: the model is trained without the study it is scored on")
    .option("--model-dir <dir>", "directory of growth.onnx + growth.card.json (default: the repository's models/)")
    .option("--baseline-data <file>", "growth CSV for the LOCF x quantiles baseline when --data holds one study", DEFAULT_GROWTH_DATA)
    .option("--replay", "replay each study as a trial running in time: interval coverage before / after the cohort's own calibration takes over")
    .action(runGrowthBench);
}
