/**
 * Leave-one-study-out experiments behind src/train/EXPERIMENTS.md: can anything beat last
 * value carried forward (LOCF) on the benchmark protocol (rows with >= 6 readings, last 2
 * held out, MAE in mm)? Not part of `npm run train`; run with
 *   npx tsx src/train/experiments.ts [--data FILE.csv]   (about 3.5 min on 2 cores)
 *   npx tsx src/train/experiments.ts --trend-grid [--data FILE.csv]   (the damped-trend grid only, seconds)
 * Every variant is trained on the other studies only and scored on the held-out study.
 */
import { dampedTrendMm, type DampedTrendRule } from "../domain/growth/damped-trend.ts";
import { growthFeatures } from "../domain/growth/features.ts";
import { leaveOneStudyOut } from "./cross-validate.ts";
import { DEFAULT_GROWTH_DATA, readGrowthCsv, type GrowthRow } from "./data.ts";
import { benchCases, errorsByStudy, locfForecasts, type BenchCase, type PointForecast } from "./evaluate.ts";
import { fitQuantile } from "./quantile-regression.ts";

const DAYS_PER_WEEK = 7;

/** Extra mm-scale features of a history (d1 = last change, d2 = the change before it). */
function mmFeatures(times: readonly number[], sizes: readonly number[], horizonDays: number): number[] {
  const n = sizes.length;
  const last = sizes[n - 1] ?? 0;
  const prev = sizes[n - 2] ?? last;
  const prev2 = sizes[n - 3] ?? prev;
  const d1 = last - prev;
  const d2 = prev - prev2;
  const nadir = Math.min(...sizes);
  const dtWeeks = Math.max(((times[n - 1] ?? 0) - (times[n - 2] ?? 0)) / DAYS_PER_WEEK, 1);
  const hWeeks = horizonDays / DAYS_PER_WEEK;
  const upUp = d1 > 0 && d2 > 0 ? 1 : 0;
  return [
    d1,
    d2,
    Math.max(d1, 0),
    Math.min(d1, 0),
    (d1 / dtWeeks) * hWeeks,
    last - nadir,
    last === nadir ? 1 : 0,
    last,
    upUp,
    upUp * Math.min(d1, 10),
    d1 < 0 && d2 < 0 ? 1 : 0,
    last - nadir > 0 && d1 > 0 ? last - nadir : 0,
  ];
}

interface Example {
  x: number[];
  /** d_target - d_last (mm). */
  y: number;
  weight: number;
  signGroup: number;
}

const signGroup = (sizes: readonly number[]): number => {
  const n = sizes.length;
  const d1 = (sizes[n - 1] ?? 0) - (sizes[n - 2] ?? 0);
  const d2 = n >= 3 ? (sizes[n - 2] ?? 0) - (sizes[n - 3] ?? 0) : 0;
  return (Math.sign(d1) + 1) * 3 + (Math.sign(d2) + 1);
};

type FeatureSet = "v1+mm" | "mm" | "rules";

function features(set: FeatureSet, times: readonly number[], sizes: readonly number[], h: number): number[] {
  const mm = mmFeatures(times, sizes, h);
  if (set === "rules") return [mm[8]!, mm[9]!, mm[10]!, sizes[sizes.length - 1]! <= 0 ? 1 : 0];
  if (set === "mm") return mm;
  return [...growthFeatures({ timesDays: times, sizesMm: sizes }, h), ...mm];
}

/**
 * Every prefix with >= minHistory scans, paired with the next 2 scans; each row sums to weight 1.
 * minHistory < 0: only the benchmark cut (all but the last 2 scans) of rows with >= 6 readings.
 */
function examples(rows: readonly GrowthRow[], set: FeatureSet, minHistory: number): Example[] {
  const out: Example[] = [];
  for (const r of rows) {
    const n = r.diamMm.length;
    const mine: Omit<Example, "weight">[] = [];
    if (minHistory < 0 && n < 6) continue;
    for (let k = Math.max(2, minHistory); k + 2 <= n; k++) {
      if (minHistory < 0 && k !== n - 2) continue;
      const t = r.timesDays.slice(0, k);
      const s = r.diamMm.slice(0, k);
      for (let j = k; j < Math.min(n, k + 2); j++) {
        mine.push({ x: features(set, t, s, r.timesDays[j]! - t[k - 1]!), y: r.diamMm[j]! - s[k - 1]!, signGroup: signGroup(s) });
      }
    }
    for (const e of mine) out.push({ ...e, weight: 1 / mine.length });
  }
  return out;
}

type PointPredictor = (c: BenchCase, horizonDays: number) => number;

/** Trains `fit` on the other studies, predicts the held-out study's cases (mm change added to the last size). */
function loso(rows: readonly GrowthRow[], fit: (train: readonly GrowthRow[]) => PointPredictor) {
  const cases = benchCases(rows);
  const forecasts: PointForecast[][] = new Array(cases.length);
  for (const s of [...new Set(rows.map((r) => r.study))]) {
    const predict = fit(rows.filter((r) => r.study !== s));
    cases.forEach((c, i) => {
      if (c.row.study === s) forecasts[i] = c.targets.map((t) => ({ predMm: Math.max(0, c.lastMm + predict(c, t.horizonDays)) }));
    });
  }
  return { cases, forecasts };
}

/** Median (L1, smoothed pinball at tau 0.5) regression of the mm change, ridge-shrunk toward 0 = LOCF. */
const l1Linear =
  (set: FeatureSet, minHistory: number, lambda: number) =>
  (train: readonly GrowthRow[]): PointPredictor => {
    const ex = examples(train, set, minHistory);
    const p = ex[0]!.x.length;
    const mean = new Array<number>(p).fill(0);
    const sd = new Array<number>(p).fill(0);
    const sw = ex.reduce((a, e) => a + e.weight, 0);
    for (const e of ex) e.x.forEach((v, k) => (mean[k]! += (e.weight * v) / sw));
    for (const e of ex) e.x.forEach((v, k) => (sd[k]! += (e.weight * (v - mean[k]!) ** 2) / sw));
    const scale = sd.map((v) => Math.sqrt(v) || 1);
    const z = (x: number[]): number[] => x.map((v, k) => (v - mean[k]!) / scale[k]!);
    const fit = fitQuantile(
      ex.map((e) => z(e.x)),
      ex.map((e) => e.y),
      { tau: 0.5, lambda, delta: 0.05, penalizeIntercept: true },
      ex.map((e) => e.weight),
    );
    return (c, h) => fit.intercept + z(features(set, c.history.timesDays, c.history.sizesMm, h)).reduce((a, v, k) => a + v * fit.weights[k]!, 0);
  };

function weightedMedian(values: number[], weights: number[]): number {
  const idx = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const i of idx) {
    acc += weights[i]!;
    if (acc >= total / 2) return values[i]!;
  }
  return 0;
}

/** Weighted median mm change per sign pattern of the last two changes (9 groups), learned on the training studies. */
const signGroupMedians =
  (minHistory: number) =>
  (train: readonly GrowthRow[]): PointPredictor => {
    const ex = examples(train, "rules", minHistory);
    const med = new Map<number, number>();
    for (let g = 0; g < 9; g++) {
      const sel = ex.filter((e) => e.signGroup === g);
      med.set(g, sel.length >= 20 ? weightedMedian(sel.map((e) => e.y), sel.map((e) => e.weight)) : 0);
    }
    return (c) => med.get(signGroup(c.history.sizesMm)) ?? 0;
  };

interface TreeNode {
  leaf?: number;
  feature?: number;
  threshold?: number;
  left?: TreeNode;
  right?: TreeNode;
}

const evalTree = (t: TreeNode, x: readonly number[]): number =>
  t.leaf !== undefined ? t.leaf : evalTree(x[t.feature!]! <= t.threshold! ? t.left! : t.right!, x);

/**
 * L1 gradient boosting (LAD): each tree is grown on the sign of the residual (least squares
 * split gain), its leaves are weighted medians of the residual; shrinkage `rate`.
 */
const l1Boosting =
  (set: FeatureSet, minHistory: number, rounds: number, depth: number, rate: number) =>
  (train: readonly GrowthRow[]): PointPredictor => {
    const ex = examples(train, set, minHistory);
    const p = ex[0]!.x.length;
    const w = ex.map((e) => e.weight);
    const minLeaf = 0.03 * w.reduce((a, b) => a + b, 0);
    const thresholds = Array.from({ length: p }, (_, k) => {
      const v = ex.map((e) => e.x[k]!).sort((a, b) => a - b);
      return [...new Set(Array.from({ length: 16 }, (_, q) => v[Math.floor(((0.05 + (0.9 * q) / 15) * (v.length - 1)))]!))];
    });
    const f = new Array<number>(ex.length).fill(0);
    const trees: TreeNode[] = [];
    const grow = (idx: number[], d: number, r: number[]): TreeNode => {
      const wi = idx.reduce((a, i) => a + w[i]!, 0);
      const leaf = (): TreeNode => ({ leaf: weightedMedian(idx.map((i) => r[i]!), idx.map((i) => w[i]!)) });
      if (d === 0 || wi < 2 * minLeaf) return leaf();
      const g = idx.map((i) => Math.sign(r[i]!) * w[i]!);
      const total = g.reduce((a, b) => a + b, 0);
      let best: { gain: number; k: number; t: number } | null = null;
      for (let k = 0; k < p; k++) {
        for (const t of thresholds[k]!) {
          let wl = 0;
          let sl = 0;
          idx.forEach((i, j) => {
            if (ex[i]!.x[k]! <= t) {
              wl += w[i]!;
              sl += g[j]!;
            }
          });
          const wr = wi - wl;
          if (wl < minLeaf || wr < minLeaf) continue;
          const gain = (sl * sl) / wl + ((total - sl) * (total - sl)) / wr;
          if (!best || gain > best.gain) best = { gain, k, t };
        }
      }
      if (!best) return leaf();
      const { k, t } = best;
      return {
        feature: k,
        threshold: t,
        left: grow(idx.filter((i) => ex[i]!.x[k]! <= t), d - 1, r),
        right: grow(idx.filter((i) => ex[i]!.x[k]! > t), d - 1, r),
      };
    };
    const all = ex.map((_, i) => i);
    for (let it = 0; it < rounds; it++) {
      const r = ex.map((e, i) => e.y - f[i]!);
      const tree = grow(all, depth, r);
      trees.push(tree);
      ex.forEach((e, i) => (f[i]! += rate * evalTree(tree, e.x)));
    }
    return (c, h) => {
      const x = features(set, c.history.timesDays, c.history.sizesMm, h);
      return trees.reduce((a, t) => a + rate * evalTree(t, x), 0);
    };
  };

/** Fixed rule, no training: +2 mm when the last two changes were both increases. */
const upUpPlus2 = (): PointPredictor => (c) => (signGroup(c.history.sizesMm) === 8 ? 2 : 0);

function line(name: string, cases: readonly BenchCase[], forecasts: readonly PointForecast[][]): string {
  const m = errorsByStudy(cases, forecasts);
  const l = errorsByStudy(cases, locfForecasts(cases));
  const per = Object.keys(l.perStudy).map((s) => `S${s} ${(m.perStudy[s]!.maeMm / l.perStudy[s]!.maeMm).toFixed(3)}`);
  return `${name.padEnd(44)} MAE ${m.overall.maeMm.toFixed(3)} mm  x LOCF ${(m.overall.maeMm / l.overall.maeMm).toFixed(3)}  ${per.join(" ")}`;
}

/** Median, P(>0), P(<0), P(=0) of the mm change after an up-up history, mid-series vs at the end of the series. */
function endOfSeriesTable(rows: readonly GrowthRow[]): string[] {
  const buckets: Record<string, number[]> = { "up-up, >= 3 scans follow the cut": [], "up-up, the 2 last scans (bench cut)": [] };
  for (const r of rows) {
    const n = r.diamMm.length;
    for (let k = 4; k + 2 <= n; k++) {
      const s = r.diamMm.slice(0, k);
      if (signGroup(s) !== 8) continue;
      const key = n - k <= 2 ? "up-up, the 2 last scans (bench cut)" : "up-up, >= 3 scans follow the cut";
      for (let j = k; j < Math.min(n, k + 2); j++) buckets[key]!.push(r.diamMm[j]! - s[k - 1]!);
    }
  }
  return Object.entries(buckets).map(([k, v]) => {
    const sorted = [...v].sort((a, b) => a - b);
    const share = (f: (x: number) => boolean): string => (v.filter(f).length / v.length).toFixed(2);
    return `${k.padEnd(40)} n=${v.length} median ${sorted[Math.floor(v.length / 2)]!.toFixed(2)} mm  P(>0) ${share((x) => x > 0)}  P(<0) ${share((x) => x < 0)}  P(=0) ${share((x) => x === 0)}`;
  });
}

/**
 * The damped-trend grid behind DAMPED_TREND: MAE x LOCF per study of each rule (the median is
 * LOCF unless the rule fires; nothing is fitted, so every study's figure is out of sample for
 * that rule), then the selection itself scored out of sample: for each study, the rule with
 * the best worst ratio on the other three, scored on that study.
 */
export function dampedTrendGrid(rows: readonly GrowthRow[]): string[] {
  const cases = benchCases(rows);
  const locf = errorsByStudy(cases, locfForecasts(cases));
  const studies = Object.keys(locf.perStudy);
  const rules: DampedTrendRule[] = [];
  for (const growingIntervals of [2, 3]) for (const window of [2, 3, 4]) for (const damping of [0.25, 0.3, 0.4, 0.5]) rules.push({ growingIntervals, window, damping });
  const ratios = rules.map((rule) => {
    const forecasts = cases.map((c) => c.targets.map((t) => ({ predMm: dampedTrendMm(c.history.timesDays, c.history.sizesMm, t.horizonDays, rule) ?? c.lastMm })));
    const m = errorsByStudy(cases, forecasts);
    return new Map(studies.map((s) => [s, m.perStudy[s]!.maeMm / locf.perStudy[s]!.maeMm]));
  });
  const name = (r: DampedTrendRule): string => `grew ${r.growingIntervals}, window ${r.window}, damping ${r.damping}`;
  const worstOf = (k: number, among: readonly string[]): number => Math.max(...among.map((s) => ratios[k]!.get(s)!));
  const best = (among: readonly string[]): number => rules.reduce((b, _, k) => (worstOf(k, among) < worstOf(b, among) ? k : b), 0);
  const out = rules.map((r, k) => `${name(r).padEnd(34)} ${studies.map((s) => `S${s} ${ratios[k]!.get(s)!.toFixed(4)}`).join("  ")}`);
  for (const held of studies) {
    const k = best(studies.filter((s) => s !== held));
    out.push(`held out S${held}: chosen on the others ${name(rules[k]!)}, S${held} ${ratios[k]!.get(held)!.toFixed(4)} x LOCF`);
  }
  out.push(`chosen on all studies: ${name(rules[best(studies)]!)} (worst study ${worstOf(best(studies), studies).toFixed(4)})`);
  return out;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--data");
  const { rows } = readGrowthCsv(i >= 0 ? process.argv[i + 1]! : DEFAULT_GROWTH_DATA);
  if (process.argv.includes("--trend-grid")) {
    for (const l of dampedTrendGrid(rows)) console.log(l);
    return;
  }
  const cv = await leaveOneStudyOut(rows);
  console.log(line("current model (damped trend over LOCF)", cv.cases, cv.forecasts));
  const variants: [string, (train: readonly GrowthRow[]) => PointPredictor][] = [
    ["L1 mm, v1 + mm features, hist>=2, lambda 0.001", l1Linear("v1+mm", 2, 0.001)],
    ["L1 mm, v1 + mm features, hist>=4, lambda 0.001", l1Linear("v1+mm", 4, 0.001)],
    ["L1 mm, v1 + mm features, hist>=4, lambda 0.01", l1Linear("v1+mm", 4, 0.01)],
    ["L1 mm, mm/hinge features, hist>=4, lambda 0.001", l1Linear("mm", 4, 0.001)],
    ["L1 mm, 4 rule features, hist>=4, lambda 0.001", l1Linear("rules", 4, 0.001)],
    ["sign-group medians, hist>=2", signGroupMedians(2)],
    ["sign-group medians, hist>=4", signGroupMedians(4)],
    ["L1 boosting, v1 + mm, hist>=2, 50 x depth 2", l1Boosting("v1+mm", 2, 50, 2, 0.1)],
    ["L1 boosting, v1 + mm, hist>=4, 50 x depth 2", l1Boosting("v1+mm", 4, 50, 2, 0.1)],
    ["L1 boosting, v1 + mm, hist>=2, 100 x depth 3", l1Boosting("v1+mm", 2, 100, 3, 0.1)],
    ["bench-cut examples only: sign-group medians", signGroupMedians(-1)],
    ["bench-cut examples only: L1 boosting 50 x d2", l1Boosting("v1+mm", -1, 50, 2, 0.1)],
    ["fixed: +2 mm after two increases (no fit)", () => upUpPlus2()],
  ];
  for (const [name, fit] of variants) {
    const { cases, forecasts } = loso(rows, fit);
    console.log(line(name, cases, forecasts));
  }
  // Bound, not a result: trained on the very points it is scored on.
  const cases = benchCases(rows);
  for (const [name, fit] of [
    ["IN-SAMPLE ceiling: sign-group medians on bench points", signGroupMedians(-1)],
    ["IN-SAMPLE ceiling: L1 boosting 100 x depth 2", l1Boosting("v1+mm", -1, 100, 2, 0.1)],
  ] as const) {
    const predict = fit(rows);
    const forecasts = cases.map((c) => c.targets.map((t) => ({ predMm: Math.max(0, c.lastMm + predict(c, t.horizonDays)) })));
    console.log(line(name, cases, forecasts));
  }
  for (const l of endOfSeriesTable(rows)) console.log(l);
}

await main();
