import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { fitLogistic } from "./matching-fit.ts";
import { loadTrackingData } from "./tracking-data.ts";
import { type ConfidenceSpread, type TrackingScores, confidenceSpread, runAll, scoreRuns, scoredLinks, timeStats } from "./tracking-eval.ts";
import { syntheticDerivationMs } from "./tracking-synthetic.ts";

const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(100 * x).toFixed(2)} %`;

export interface TrackingReport {
  patients: number;
  studies: number;
  observations: number;
  tasks: number;
  arrival: string;
  scores: TrackingScores | null;
  confidence: ConfidenceSpread | null;
  timeMsPerPatient: { mean: number; p99: number; max: number };
  synthetic14x10Ms: { mean: number; p99: number; max: number; cpuMean: number; cpuP99: number; observations: number };
  stability: { observationsCompared: number; relabelled: number; tracksCompared: number; tracksChanged: number; insertedCompared: number; insertedRelabelled: number };
}

function printReport(r: TrackingReport): void {
  console.log(`tracking bench: ${r.patients} patients, ${r.studies} studies, ${r.observations} observations, ${r.tasks} task pairs; arrival ${r.arrival}`);
  if (r.scores) {
    const rows = [["(a) task pairs", r.scores.tasks], ["(b) all study pairs", r.scores.allPairs], ["(b') labels connect", r.scores.connectedPairs]] as const;
    for (const [name, s] of rows) {
      console.log(
        `${name.padEnd(20)} pairs ${String(s.tasks).padStart(4)}  P ${f3(s.precision)}  R ${f3(s.recall)}  F1 ${f3(s.f1)}  exact ${f3(s.exact)}  ` +
          `TP ${s.tp} FP ${s.fp} FN ${s.fn}  wrong pairs ${s.wrongTasks}`,
      );
    }
    console.log(`patients without error (task pairs): ${f3(r.scores.patientsWithoutError)}`);
  } else console.log("no gt labels in the file: counts and timing only");
  if (r.confidence) {
    const q = r.confidence.quantiles;
    console.log(
      `link confidence (${r.confidence.links} matcher links within labelled task pairs): min ${f3(q.min)} p10 ${f3(q.p10)} p25 ${f3(q.p25)} p50 ${f3(q.p50)} p75 ${f3(q.p75)} p90 ${f3(q.p90)} max ${f3(q.max)}; ` +
        `error rate lowest 10 % ${pct(r.confidence.lowest10ErrorRate)} vs rest ${pct(r.confidence.restErrorRate)}`,
    );
  }
  const st = r.stability;
  console.log(
    `stable identities (a study later than all before it arrives): ${st.relabelled} of ${st.observationsCompared} earlier observations relabelled (${pct(st.relabelled / Math.max(1, st.observationsCompared))}); ` +
      `${st.tracksChanged} of ${st.tracksCompared} earlier tracks changed (${pct(st.tracksChanged / Math.max(1, st.tracksCompared))})`,
  );
  if (st.insertedCompared > 0) {
    console.log(`  a study earlier than one already there arrives: ${st.insertedRelabelled} of ${st.insertedCompared} observations get another track id (ids name a track's first observation)`);
  }
  const t = r.timeMsPerPatient;
  console.log(`derivation per patient (all its studies): mean ${t.mean.toFixed(3)} ms  p99 ${t.p99.toFixed(3)} ms  max ${t.max.toFixed(3)} ms`);
  const s = r.synthetic14x10Ms;
  console.log(`synthetic 14 studies x 10 lesions (${s.observations} observations, seeded, 50 runs): mean ${s.mean.toFixed(3)} ms  p99 ${s.p99.toFixed(3)} ms  max ${s.max.toFixed(3)} ms; ` +
    `process CPU mean ${s.cpuMean.toFixed(3)} ms  p99 ${s.cpuP99.toFixed(3)} ms`);
}

/** `bench tracking`: every patient of a task file through the service's derivation, scored as tracks. */
export function registerTrackingBench(bench: Command): void {
  bench
    .command("tracking")
    .description("score a patient's tracks (the service's whole-history derivation) on dls-study-pair-matching-v1 tasks")
    .requiredOption("--tasks <file>", "task file, e.g. ../shared/data/matching/valid_tasks.json (without gt: counts and timing only)")
    .option("--json", "print one JSON object instead of text")
    .option("--predictions-out <file>", "write {observationId: trackId}")
    .option("--shuffle-arrival <seed>", "studies of each patient arrive in a seeded random order instead of study order")
    .option("--fit-confidence", "fit the link-confidence logistic (cost, margin) on the file's labels and print it")
    .action((opts: { tasks: string; json?: boolean; predictionsOut?: string; shuffleArrival?: string; fitConfidence?: boolean }) => {
      const data = loadTrackingData(opts.tasks);
      const seed = opts.shuffleArrival === undefined ? undefined : Number.parseInt(opts.shuffleArrival, 10);
      if (seed !== undefined && !Number.isFinite(seed)) throw new Error(`--shuffle-arrival: not an integer: ${opts.shuffleArrival}`);
      const runs = runAll(data, seed);
      const links = data.truth ? scoredLinks(data, runs, data.truth) : [];
      if (opts.fitConfidence) {
        if (!data.truth) throw new Error("--fit-confidence needs gt labels");
        const w = fitLogistic(links.map((l) => [l.cost, l.margin]), links.map((l) => (l.correct ? 1 : 0)));
        console.log(`track link confidence logistic (${links.length} links): intercept ${w[0].toFixed(3)} costSlope ${w[1].toFixed(3)} marginSlope ${w[2].toFixed(3)}`);
        return;
      }
      const sum = (f: (r: (typeof runs)[number]) => number): number => runs.reduce((n, r) => n + f(r), 0);
      const report: TrackingReport = {
        patients: data.patients.length,
        studies: data.patients.reduce((n, p) => n + p.studies.length, 0),
        observations: data.patients.reduce((n, p) => n + p.studies.reduce((m, s) => m + s.observations.length, 0), 0),
        tasks: data.tasks.length,
        arrival: seed === undefined ? "in study order" : `shuffled (seed ${seed})`,
        scores: data.truth ? scoreRuns(data, runs, data.truth) : null,
        confidence: data.truth ? confidenceSpread(links) : null,
        timeMsPerPatient: timeStats(runs.map((r) => r.ms)),
        synthetic14x10Ms: syntheticDerivationMs(),
        stability: {
          observationsCompared: sum((r) => r.compared), relabelled: sum((r) => r.relabelled), tracksCompared: sum((r) => r.tracksCompared),
          tracksChanged: sum((r) => r.tracksChanged), insertedCompared: sum((r) => r.insertedCompared), insertedRelabelled: sum((r) => r.insertedRelabelled),
        },
      };
      if (opts.predictionsOut) writeFileSync(opts.predictionsOut, JSON.stringify(Object.fromEntries(runs.flatMap((r) => [...r.trackOf])), null, 1));
      if (opts.json) console.log(JSON.stringify(report));
      else printReport(report);
    });
}
