import { matchStudyPair } from "../domain/matching/match.ts";
import { MATCHER_CONFIG, type MatcherConfig } from "../domain/matching/weights.ts";
import { scoreTrack, summarize } from "./matching-metrics.ts";
import type { MatchingTask, TaskLabels } from "./matching-tasks.ts";

/** A task with its labels: what fitting needs. */
type LabelledTask = MatchingTask & { labels: TaskLabels };

/** One tunable value: how to read and write it in a config, and the grid to try. */
interface Knob {
  name: string;
  grid: number[];
  set: (c: MatcherConfig, v: number) => MatcherConfig;
}

const KNOBS: Knob[] = [
  { name: "gate", grid: [2, 3, 4, 5, 6, 7, 8, 10], set: (c, v) => ({ ...c, gate: v }) },
  { name: "cost.sizeWeight", grid: [0, 0.5, 1, 1.5, 2, 3, 4, 6], set: (c, v) => ({ ...c, cost: { ...c.cost, sizeWeight: v } }) },
  { name: "cost.positionSizeFactor", grid: [0, 0.25, 0.5, 1], set: (c, v) => ({ ...c, cost: { ...c.cost, positionSizeFactor: v } }) },
  { name: "align.inlierRadiusMm", grid: [10, 15, 20, 25, 30], set: (c, v) => ({ ...c, align: { ...c.align, inlierRadiusMm: v } }) },
  { name: "align.shiftPriorMm.z", grid: [60, 120, 200, 300, 500, 1000], set: (c, v) => ({ ...c, align: { ...c.align, shiftPriorMm: [c.align.shiftPriorMm[0], c.align.shiftPriorMm[1], v] } }) },
  { name: "align.shiftPriorMm.xy", grid: [20, 30, 40, 60, 80], set: (c, v) => ({ ...c, align: { ...c.align, shiftPriorMm: [v, v, c.align.shiftPriorMm[2]] } }) },
  { name: "align.shiftPriorWeight", grid: [0, 0.1, 0.25, 0.5, 1, 2, 4, 8], set: (c, v) => ({ ...c, align: { ...c.align, shiftPriorWeight: v } }) },
];

/**
 * Initial guesses the search starts from (so `--fit` is reproducible whatever weights.ts holds):
 * inlier radius ~ the 90th-percentile aligned residual, prior spreads from README section 2.
 */
export const FIT_START: MatcherConfig = {
  ...MATCHER_CONFIG,
  gate: 3,
  align: { ...MATCHER_CONFIG.align, inlierRadiusMm: 15, shiftPriorMm: [40, 40, 120], shiftPriorWeight: 1 },
  cost: { ...MATCHER_CONFIG.cost, positionScaleMm: 20, positionSizeFactor: 0.5, sizeWeight: 0.5 },
};

/** Objective: mean over task sets of (track F1 + exact accuracy) / 2. */
function objective(sets: readonly LabelledTask[][], config: MatcherConfig, log = false): number {
  let total = 0;
  for (const tasks of sets) {
    const counts = tasks.map((t) => {
      const pred = matchStudyPair(t.a, t.b, config).pairs.map((p) => [p.a, p.b] as const);
      return scoreTrack(pred, t.labels, t.a.map((o) => o.id), t.b.map((o) => o.id));
    });
    const s = summarize(counts);
    if (log) console.log(`  ${tasks.length} tasks: track F1 ${s.f1.toFixed(4)} exact ${s.exact.toFixed(4)}`);
    total += (s.f1 + s.exact) / 2;
  }
  return total / sets.length;
}

/** Coordinate search: each knob over its grid in turn, keeping the best; two sweeps. */
export function coordinateSearch(sets: readonly LabelledTask[][], start: MatcherConfig): { config: MatcherConfig; score: number; values: Record<string, number> } {
  let config = start;
  let score = objective(sets, config);
  const values: Record<string, number> = {};
  for (let sweep = 0; sweep < 3; sweep++) {
    for (const knob of KNOBS) {
      for (const v of knob.grid) {
        const trial = knob.set(config, v);
        const s = objective(sets, trial);
        if (s > score + 1e-9) { score = s; config = trial; values[knob.name] = v; }
      }
    }
  }
  return { config, score, values };
}

/** Logistic regression (Newton / IRLS with a tiny ridge) of link correctness on [1, cost, margin]. */
export function fitLogistic(x: readonly [number, number][], y: readonly number[]): [number, number, number] {
  let w: [number, number, number] = [0, 0, 0];
  for (let it = 0; it < 50; it++) {
    const g = [0, 0, 0];
    const h = [[1e-6, 0, 0], [0, 1e-6, 0], [0, 0, 1e-6]];
    x.forEach(([c, m], k) => {
      const f = [1, c, m];
      const p = 1 / (1 + Math.exp(-(w[0] + w[1] * c + w[2] * m)));
      for (let i = 0; i < 3; i++) {
        g[i]! += (y[k]! - p) * f[i]!;
        for (let j = 0; j < 3; j++) h[i]![j]! += p * (1 - p) * f[i]! * f[j]!;
      }
    });
    const step = solve3(h, g);
    w = [w[0] + step[0], w[1] + step[1], w[2] + step[2]];
    if (Math.hypot(...step) < 1e-9) break;
  }
  return w;
}

function solve3(a: number[][], b: number[]): [number, number, number] {
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < 3; c++) {
    let p = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k < 4; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return [m[0]![3]! / m[0]![0]!, m[1]![3]! / m[1]![1]!, m[2]![3]! / m[2]![2]!];
}

/** (cost, margin) and track-correctness of every link the matcher makes on the tasks. */
export function linkFeatures(tasks: readonly LabelledTask[], config: MatcherConfig): { x: [number, number][]; y: number[] } {
  const x: [number, number][] = [];
  const y: number[] = [];
  for (const t of tasks) {
    for (const p of matchStudyPair(t.a, t.b, config).pairs) {
      x.push([p.cost, p.margin]);
      const tr = t.labels.track;
      y.push(tr[p.a] !== undefined && tr[p.a] === tr[p.b] ? 1 : 0);
    }
  }
  return { x, y };
}

/** `bench matching --fit`: coordinate search of weights and gate, then the confidence logistic. */
export function fitMatcher(sets: readonly LabelledTask[][], file: string, also?: string): void {
  const { config, score, values } = coordinateSearch(sets, FIT_START);
  console.log(`fit on ${file}${also ? ` + ${also}` : ""}: objective mean((trackF1 + exact)/2) = ${score.toFixed(4)}`);
  console.log(`values changed from FIT_START: ${JSON.stringify(values)}`);
  objective(sets, config, true);
  const feats = sets.map((s) => linkFeatures(s, config));
  const w = fitLogistic(feats.flatMap((f) => f.x), feats.flatMap((f) => f.y));
  console.log(`confidence logistic: intercept ${w[0].toFixed(3)} costSlope ${w[1].toFixed(3)} marginSlope ${w[2].toFixed(3)}`);
  console.log(JSON.stringify({ ...config, confidence: { intercept: w[0], costSlope: w[1], marginSlope: w[2] }, provenance: undefined }, null, 1));
}
