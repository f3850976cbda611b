import { performance } from "node:perf_hooks";
import { matchStudyPair } from "../domain/matching/match.ts";
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

/** What the matcher did on one task, with its scores. */
export interface TaskResult {
  taskId: string;
  multi: boolean;
  pairs: { a: string; b: string; cost: number; confidence: number }[];
  track: TaskCounts;
  literal: TaskCounts;
  ms: number;
}

export interface ScoreBlock {
  all: PrfSummary & { ci95: { f1: [number, number]; exact: [number, number] } };
  multi: PrfSummary & { ci95: { f1: [number, number]; exact: [number, number] } };
}

export interface BenchReport {
  tasks: number;
  track: ScoreBlock;
  literal: ScoreBlock;
  calibration: ReturnType<typeof calibration>;
  timeMsPerTask: { mean: number; p99: number };
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
      track: scoreTrack(pred, t.labels, t.a.map((o) => o.id), t.b.map((o) => o.id)),
      literal: scoreLiteral(pred, t.labels),
      ms,
    };
  });
}

const block = (counts: TaskCounts[], seed: number): PrfSummary & { ci95: { f1: [number, number]; exact: [number, number] } } => ({
  ...summarize(counts),
  ci95: bootstrapIntervals(counts, 2000, seed),
});

/** Aggregate per-task results into the numbers the bench prints. */
export function report(tasks: readonly MatchingTask[], results: readonly TaskResult[]): BenchReport {
  const multi = results.filter((r) => r.multi);
  const byId = new Map(tasks.map((t) => [t.taskId, t]));
  const links = results.flatMap((r) => {
    const track = byId.get(r.taskId)!.labels.track;
    return r.pairs.map((p) => ({ confidence: p.confidence, correct: track[p.a] !== undefined && track[p.a] === track[p.b] }));
  });
  const times = results.map((r) => r.ms).sort((p, q) => p - q);
  return {
    tasks: results.length,
    track: { all: block(results.map((r) => r.track), 1), multi: block(multi.map((r) => r.track), 2) },
    literal: { all: block(results.map((r) => r.literal), 3), multi: block(multi.map((r) => r.literal), 4) },
    calibration: calibration(links),
    timeMsPerTask: {
      mean: times.reduce((s, t) => s + t, 0) / Math.max(1, times.length),
      p99: times[Math.min(times.length - 1, Math.floor(0.99 * times.length))] ?? 0,
    },
  };
}
