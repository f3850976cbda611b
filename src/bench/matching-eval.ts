import { mean, quantile } from "simple-statistics";
import { performance } from "node:perf_hooks";
import { assignWithGate } from "../domain/matching/assign.ts";
import { matchStudyPair } from "../domain/matching/match.ts";
import type { Observation } from "../domain/observation.ts";
import { mm } from "../domain/units.ts";
import { MATCHER_CONFIG, type MatcherConfig } from "../domain/matching/weights.ts";
import {
  type PrfSummary,
  type TaskCounts,
  bootstrapIntervals,
  calibration,
  scoreLiteral,
  scoreTrack,
  summarize,
} from "./matching-metrics.ts";
import type { MatchingTask } from "./matching-tasks.ts";
import { seededRandom } from "../domain/random.ts";

/** What the matcher did on one task, with its scores. */
export interface TaskResult {
  taskId: string;
  multi: boolean;
  pairs: { a: string; b: string; cost: number; confidence: number }[];
  /** null for a task without labels. */
  track: TaskCounts | null;
  literal: TaskCounts | null;
  ms: number;
}

export interface ScoreBlock {
  all: PrfSummary & { ci95: { f1: [number, number]; exact: [number, number] } };
  multi: PrfSummary & { ci95: { f1: [number, number]; exact: [number, number] } };
}

export interface BenchReport {
  tasks: number;
  /** Links proposed over all tasks. */
  links: number;
  /** Scores: null when the file has no labels. */
  track: ScoreBlock | null;
  literal: ScoreBlock | null;
  calibration: ReturnType<typeof calibration> | null;
  timeMsPerTask: { mean: number; p99: number };
  /** Synthetic 50 x 50 problems (seeded): the assignment alone, and a full study-pair match. */
  speed50x50: { assignMs: { mean: number; p99: number }; matchMs: { mean: number; p99: number } };
}

const meanP99 = (xs: number[]): { mean: number; p99: number } =>
  xs.length === 0 ? { mean: 0, p99: 0 } : { mean: mean(xs), p99: quantile(xs, 0.99) };

/** Time the gated assignment (every draw) and the whole matcher (every 4th draw) on seeded random 50 x 50 problems (ms). */
export function speed50x50(reps = 200, seed = 5): BenchReport["speed50x50"] {
  const rnd = seededRandom(seed);
  const assign: number[] = [];
  const match: number[] = [];
  for (let r = 0; r < reps; r++) {
    const cost = Array.from({ length: 50 }, () => Array.from({ length: 50 }, () => rnd() * 10));
    let t = performance.now();
    assignWithGate(cost, 2.5, 2.5);
    assign.push(performance.now() - t);
    const lesion = (id: string, shift: number): Observation => ({
      id, positionMm: [rnd() * 300 + shift, rnd() * 250, rnd() * 600], longAxisMm: mm(5 + rnd() * 40), shortAxisMm: mm(5), nodal: false,
    });
    const a = Array.from({ length: 50 }, (_, i) => lesion(`a${i}`, 0));
    const b = Array.from({ length: 50 }, (_, i) => lesion(`b${i}`, 20));
    if (r % 4 !== 0) continue;
    t = performance.now();
    matchStudyPair(a, b);
    match.push(performance.now() - t);
  }
  return { assignMs: meanP99(assign), matchMs: meanP99(match) };
}

/** Run the matcher on every task (labels stay with the scorer) and score each task. */
export function runTasks(tasks: readonly MatchingTask[], config: MatcherConfig = MATCHER_CONFIG): TaskResult[] {
  return tasks.map((t) => {
    const start = performance.now();
    const { pairs } = matchStudyPair(t.a, t.b, config);
    const ms = performance.now() - start;
    const pred = pairs.map((p) => [p.a, p.b] as const);
    return {
      taskId: t.taskId,
      multi: t.a.length >= 2 && t.b.length >= 2,
      pairs,
      track: t.labels ? scoreTrack(pred, t.labels, t.a.map((o) => o.id), t.b.map((o) => o.id)) : null,
      literal: t.labels ? scoreLiteral(pred, t.labels) : null,
      ms,
    };
  });
}

const block = (counts: TaskCounts[], seed: number): PrfSummary & { ci95: { f1: [number, number]; exact: [number, number] } } => ({
  ...summarize(counts),
  ci95: bootstrapIntervals(counts, 2000, seed),
});

/** Aggregate per-task results into the numbers the bench prints (scores only for a labelled file). */
export function report(tasks: readonly MatchingTask[], results: readonly TaskResult[]): BenchReport {
  const times = results.map((r) => r.ms);
  const common = { tasks: results.length, links: results.reduce((n, r) => n + r.pairs.length, 0), timeMsPerTask: meanP99(times), speed50x50: speed50x50() };
  const labelled = results.every((r) => r.track && r.literal);
  if (!labelled || results.length === 0) return { ...common, track: null, literal: null, calibration: null };
  const multi = results.filter((r) => r.multi);
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const links = results.flatMap((r) => {
    const track = byId.get(r.taskId)!.labels!.track;
    return r.pairs.map((p) => ({ confidence: p.confidence, correct: track[p.a] !== undefined && track[p.a] === track[p.b] }));
  });
  const counts = (rs: readonly TaskResult[], rule: "track" | "literal"): TaskCounts[] => rs.map((r) => r[rule]!);
  return {
    ...common,
    track: { all: block(counts(results, "track"), 1), multi: block(counts(multi, "track"), 2) },
    literal: { all: block(counts(results, "literal"), 3), multi: block(counts(multi, "literal"), 4) },
    calibration: calibration(links),
  };
}
