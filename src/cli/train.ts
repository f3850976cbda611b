import type { Command } from "commander";
import { DEFAULT_GROWTH_DATA } from "../train/data.ts";
import type { StudyCalibrationRow } from "../train/calibration-report.ts";
import { runTraining } from "../train/run-training.ts";

/** `train [--data FILE] [--out DIR] [--seed N]`: fits the growth model and writes models/. */
export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("fit the growth forecast (damped trend + calibrated interval); writes growth.onnx and growth.card.json")
    .option("--data <file>", "growth CSV (TumorGrowth.jl layout)", DEFAULT_GROWTH_DATA)
    .option("--out <dir>", "output directory", "models/")
    .option("--seed <n>", "seed (recorded in the card; the fit has no randomness)", "1")
    .action(async (opts: { data: string; out: string; seed: string }) => {
      const seed = Number.parseInt(opts.seed, 10);
      if (!Number.isFinite(seed)) throw new Error(`--seed must be an integer, got ${opts.seed}`);
      const command = `lesiontrack train --data ${opts.data} --out ${opts.out} --seed ${seed}`;
      const { card, seconds } = await runTraining({ dataFile: opts.data, outDir: opts.out, seed, command });
      const cv = card.crossValidation as { perStudy: StudyCalibrationRow[] };
      console.log(`wrote ${opts.out} ${card.modelVersion} in ${seconds.toFixed(1)} s`);
      for (const r of cv.perStudy) {
        console.log(`LOSO study ${r.study}: coverage ${r.model.coverage80.toFixed(3)}, width ${r.model.medianWidthMm.toFixed(2)} mm, MAE ${r.model.maeRatioToLocf.toFixed(3)} x LOCF`);
      }
    });
}
