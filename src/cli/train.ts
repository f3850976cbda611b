import type { Command } from "commander";
import { DEFAULT_GROWTH_DATA } from "../train/data.ts";
import { runTraining } from "../train/run-training.ts";

/** `train [--data FILE] [--out DIR] [--seed N]`: fits the growth model and writes models/. */
export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("train the growth quantile model; writes growth.onnx and growth.card.json")
    .option("--data <file>", "growth CSV (TumorGrowth.jl layout)", DEFAULT_GROWTH_DATA)
    .option("--out <dir>", "output directory", "models/")
    .option("--seed <n>", "seed (orders the training examples)", "1")
    .action(async (opts: { data: string; out: string; seed: string }) => {
      const seed = Number.parseInt(opts.seed, 10);
      if (!Number.isFinite(seed)) throw new Error(`--seed must be an integer, got ${opts.seed}`);
      const command = `lesiontrack train --data ${opts.data} --out ${opts.out} --seed ${seed}`;
      const { card, seconds } = await runTraining({ dataFile: opts.data, outDir: opts.out, seed, command });
      const cv = card.crossValidation as { model: { overall: { maeMm: number } }; locf: { overall: { maeMm: number } } };
      console.log(`wrote ${opts.out} ${card.modelVersion} in ${seconds.toFixed(1)} s`);
      console.log(`LOSO MAE ${cv.model.overall.maeMm.toFixed(3)} mm vs LOCF ${cv.locf.overall.maeMm.toFixed(3)} mm`);
    });
}
