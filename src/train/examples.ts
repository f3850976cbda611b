import { growthFeatures, logSize, SIZE_OFFSET_MM } from "../domain/growth/features.ts";
import type { GrowthRow } from "./data.ts";

/** One supervised example: features of a history prefix, and the log ratio at a later scan. */
export interface GrowthExample {
  /** Size (mm) at the last scan of the history. */
  lastMm: number;
  x: Float32Array;
  /** log((d_target + c) / (d_last + c)). */
  y: number;
  /** Each row's examples sum to weight 1, so long series do not dominate. */
  weight: number;
  study: number;
}

export interface ExampleOptions {
  /** Shortest history used as input (scans). Default 2. */
  minHistory?: number;
  /** How many later scans of each prefix become targets. Default 2 (as the benchmark). */
  maxStepsAhead?: number;
  /** Use a prefix only if the series has at least this many scans after it. Default 2 (as the benchmark). */
  minFutureScans?: number;
  /** Only the protocol cut: history = all but the last `holdout` scans (bench protocol). Default false. */
  lastCutOnly?: boolean;
  /** Use only rows with at least this many readings. Default 0. */
  minReadings?: number;
  /** Weight each example by (last size + c) so the log-scale loss tracks mm errors. Default true. */
  sizeWeighted?: boolean;
}

/** Cuts every row at every prefix and pairs the prefix with the next few scans. */
export function buildExamples(rows: readonly GrowthRow[], options: ExampleOptions = {}): GrowthExample[] {
  const minHistory = options.minHistory ?? 2;
  const maxStepsAhead = options.maxStepsAhead ?? 2;
  const minFutureScans = options.minFutureScans ?? 2;
  const minReadings = options.minReadings ?? 0;
  const out: GrowthExample[] = [];
  for (const row of rows) {
    const n = row.diamMm.length;
    if (n < minReadings) continue;
    const rowExamples: Omit<GrowthExample, "weight">[] = [];
    for (let k = minHistory; k + minFutureScans <= n; k++) {
      if (options.lastCutOnly && k !== n - minFutureScans) continue;
      const history = { timesDays: row.timesDays.slice(0, k), sizesMm: row.diamMm.slice(0, k) };
      const last = row.diamMm[k - 1] ?? 0;
      const tLast = row.timesDays[k - 1] ?? 0;
      for (let j = k; j < Math.min(n, k + maxStepsAhead); j++) {
        const horizon = (row.timesDays[j] ?? tLast) - tLast;
        rowExamples.push({
          x: growthFeatures(history, horizon),
          y: logSize(row.diamMm[j] ?? 0) - logSize(last),
          study: row.study,
          lastMm: last,
        });
      }
    }
    if (rowExamples.length === 0) continue;
    const sizeWeighted = options.sizeWeighted ?? true;
    const raw = rowExamples.map((e) => (sizeWeighted ? e.lastMm + SIZE_OFFSET_MM : 1));
    const total = raw.reduce((a, b) => a + b, 0);
    rowExamples.forEach((e, i) => out.push({ ...e, weight: (raw[i] ?? 0) / total }));
  }
  return out;
}
