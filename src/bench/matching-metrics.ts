import { quantileSorted } from "simple-statistics";
import type { TaskLabels } from "./matching-tasks.ts";
import { seededRandom } from "../domain/random.ts";

/** Counts of one task under one scoring rule. */
export interface TaskCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface PrfSummary {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tasks: number;
  wrongTasks: number;
  exact: number;
}

/**
 * Track scoring (README section 5): a pair is right when both ends share a track; each track
 * present in both studies is one item; a second right pair for the same track is ignored.
 */
export function scoreTrack(pred: readonly (readonly [string, string])[], labels: TaskLabels, idsA: readonly string[], idsB: readonly string[]): TaskCounts {
  const tracksA = new Set(idsA.map((id) => labels.track[id]));
  const items = new Set(idsB.map((id) => labels.track[id]).filter((t) => tracksA.has(t)));
  const hit = new Set<string>();
  let fp = 0;
  for (const [x, y] of pred) {
    const tx = labels.track[x];
    if (tx !== undefined && tx === labels.track[y]) hit.add(tx);
    else fp++;
  }
  return { tp: hit.size, fp, fn: items.size - hit.size };
}

/** Literal scoring: ground truth = the DLS pairs between the two studies only. */
export function scoreLiteral(pred: readonly (readonly [string, string])[], labels: TaskLabels): TaskCounts {
  const gt = new Set(labels.dls_pairs.map(([x, y]) => `${x}|${y}`));
  let tp = 0;
  for (const [x, y] of pred) if (gt.has(`${x}|${y}`)) tp++;
  return { tp, fp: pred.length - tp, fn: gt.size - tp };
}

/** Micro-averaged precision / recall / F1 and exact-study-pair accuracy over tasks. */
export function summarize(counts: readonly TaskCounts[]): PrfSummary {
  let tp = 0, fp = 0, fn = 0, wrong = 0;
  for (const c of counts) {
    tp += c.tp; fp += c.fp; fn += c.fn;
    if (c.fp > 0 || c.fn > 0) wrong++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const n = counts.length;
  return { precision, recall, f1, tp, fp, fn, tasks: n, wrongTasks: wrong, exact: n > 0 ? (n - wrong) / n : 0 };
}

const quantile = (sorted: readonly number[], q: number): number => (sorted.length === 0 ? NaN : quantileSorted([...sorted], q));

/** 95% percentile bootstrap intervals of F1 and exact accuracy, resampling tasks (seeded). */
export function bootstrapIntervals(counts: readonly TaskCounts[], reps = 2000, seed = 1): { f1: [number, number]; exact: [number, number] } {
  const rnd = seededRandom(seed); // reproducible bootstrap intervals
  const f1s: number[] = [];
  const exacts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const sample: TaskCounts[] = [];
    for (let k = 0; k < counts.length; k++) sample.push(counts[Math.floor(rnd() * counts.length)]!);
    const s = summarize(sample);
    f1s.push(s.f1);
    exacts.push(s.exact);
  }
  f1s.sort((p, q) => p - q);
  exacts.sort((p, q) => p - q);
  return { f1: [quantile(f1s, 0.025), quantile(f1s, 0.975)], exact: [quantile(exacts, 0.025), quantile(exacts, 0.975)] };
}

export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  meanConfidence: number;
  precision: number;
}

/** Reliability bins (equal width), expected calibration error and Brier score of link confidences. */
export function calibration(links: readonly { confidence: number; correct: boolean }[], nBins = 10): { bins: CalibrationBin[]; ece: number; brier: number } {
  const bins: CalibrationBin[] = [];
  let ece = 0, brier = 0;
  for (let k = 0; k < nBins; k++) {
    const lo = k / nBins;
    const hi = (k + 1) / nBins;
    const inBin = links.filter((l) => l.confidence >= lo && (k === nBins - 1 ? l.confidence <= hi : l.confidence < hi));
    if (inBin.length === 0) continue;
    const meanConfidence = inBin.reduce((s, l) => s + l.confidence, 0) / inBin.length;
    const precision = inBin.filter((l) => l.correct).length / inBin.length;
    bins.push({ lo, hi, count: inBin.length, meanConfidence, precision });
    ece += (inBin.length / links.length) * Math.abs(meanConfidence - precision);
  }
  for (const l of links) brier += (l.confidence - (l.correct ? 1 : 0)) ** 2;
  return { bins, ece, brier: links.length > 0 ? brier / links.length : 0 };
}
