import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { MATCHER_CONFIG } from "../domain/matching/weights.ts";
import { type BenchReport, type ScoreBlock, report, runTasks } from "./matching-eval.ts";
import { fitMatcher } from "./matching-fit.ts";
import { labelledTasks, loadMatchingTasks } from "./matching-tasks.ts";

const f3 = (x: number): string => x.toFixed(3);

function printBlock(name: string, b: ScoreBlock): void {
  for (const [subset, s] of [["all", b.all], ["multi", b.multi]] as const) {
    console.log(
      `${name.padEnd(8)} ${subset.padEnd(5)} tasks ${String(s.tasks).padStart(3)}  P ${f3(s.precision)}  R ${f3(s.recall)}  F1 ${f3(s.f1)} ` +
        `[${f3(s.ci95.f1[0])}, ${f3(s.ci95.f1[1])}]  exact ${f3(s.exact)} [${f3(s.ci95.exact[0])}, ${f3(s.ci95.exact[1])}]  ` +
        `TP ${s.tp} FP ${s.fp} FN ${s.fn}  wrong tasks ${s.wrongTasks}`,
    );
  }
}

function printReport(r: BenchReport): void {
  console.log(`matching bench: ${r.tasks} tasks, ${r.links} links proposed (95% bootstrap intervals over tasks, 2000 resamples, seeded)`);
  if (r.track && r.literal && r.calibration) {
    printBlock("track", r.track);
    printBlock("literal", r.literal);
    console.log(`confidence calibration (track-correct links): ECE ${f3(r.calibration.ece)}  Brier ${f3(r.calibration.brier)}`);
    for (const b of r.calibration.bins) {
      console.log(`  [${b.lo.toFixed(1)}, ${b.hi.toFixed(1)})  n ${String(b.count).padStart(4)}  mean confidence ${f3(b.meanConfidence)}  precision ${f3(b.precision)}`);
    }
  } else console.log("no gt labels in the file: counts and timing only");
  console.log(`time per task: mean ${r.timeMsPerTask.mean.toFixed(4)} ms  p99 ${r.timeMsPerTask.p99.toFixed(4)} ms`);
  const s = r.speed50x50;
  console.log(
    `50x50 synthetic (seeded): assignment (200 draws) mean ${s.assignMs.mean.toFixed(4)} ms p99 ${s.assignMs.p99.toFixed(4)} ms; ` +
      `full match (50 draws: align hypotheses + assignments) mean ${s.matchMs.mean.toFixed(3)} ms p99 ${s.matchMs.p99.toFixed(3)} ms`,
  );
}

/** `bench matching`: score the matcher on DLS study-pair tasks, or fit its weights (--fit). */
export function registerMatchingBench(bench: Command): void {
  bench
    .command("matching")
    .description("score the lesion matcher on dls-study-pair-matching-v1 tasks (track + literal scoring)")
    .requiredOption("--tasks <file>", "task file, e.g. ../shared/data/matching/valid_tasks.json")
    .option("--json", "print one JSON object instead of text")
    .option("--predictions-out <file>", "write {task_id: [[id_a, id_b], ...]}")
    .option("--fit", "fit weights, gate and confidence on the task file(s) and print a config")
    .option("--also <file>", "with --fit: a second task file scored jointly (e.g. the shifted variant)")
    .action((opts: { tasks: string; json?: boolean; predictionsOut?: string; fit?: boolean; also?: string }) => {
      const tasks = loadMatchingTasks(opts.tasks);
      if (opts.fit) {
        const sets = [labelledTasks(tasks, opts.tasks), ...(opts.also ? [labelledTasks(loadMatchingTasks(opts.also), opts.also)] : [])];
        fitMatcher(sets, opts.tasks, opts.also);
        return;
      }
      const results = runTasks(tasks, MATCHER_CONFIG);
      const r = report(tasks, results);
      if (opts.predictionsOut) {
        const out = Object.fromEntries(results.map((t) => [t.taskId, t.pairs.map((p) => [p.a, p.b])]));
        writeFileSync(opts.predictionsOut, JSON.stringify(out, null, 1));
      }
      if (opts.json) console.log(JSON.stringify(r));
      else printReport(r);
    });
}
