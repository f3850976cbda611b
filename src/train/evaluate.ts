import { growthFeatures } from "../domain/growth/features.ts";
import { fitGrowthModel } from "../domain/growth/fit.ts";
import { logRatioToMm } from "../domain/growth/forecast.ts";
import type { GrowthModelName } from "../domain/growth/models.ts";
import { progressionProbability, recistProgressionThresholdMm } from "../domain/growth/progression.ts";
import type { LogRatioQuantiles } from "../domain/growth/quantile-model.ts";
import { mean, median } from "simple-statistics";
import { brierScore, reliability } from "../domain/growth/skill.ts";
import { NORMVOL_DIAM_MM, type GrowthRow } from "./data.ts";

/** Benchmark protocol (README, TumorGrowth.jl model battle): rows with >= 6 readings, last 2 held out. */
export const MIN_READINGS = 6;
export const HOLDOUT = 2;

/** One benchmark row: the observed history and the held-out points. */
export interface BenchCase {
  row: GrowthRow;
  history: { timesDays: number[]; sizesMm: number[] };
  lastMm: number;
  nadirMm: number;
  /** Per held-out point: days after the last observed scan, and the truth. */
  targets: { horizonDays: number; weeks: number; truthMm: number; truthNormvol: number }[];
}

/** A forecast of one held-out point, in mm; p is P(RECIST progression vs the observed nadir). */
export interface PointForecast {
  predMm: number;
  q10Mm?: number;
  q90Mm?: number;
  pPd?: number;
}

export function benchCases(rows: readonly GrowthRow[]): BenchCase[] {
  return rows
    .filter((r) => r.diamMm.length >= MIN_READINGS)
    .map((row) => {
      const k = row.diamMm.length - HOLDOUT;
      const history = { timesDays: row.timesDays.slice(0, k), sizesMm: row.diamMm.slice(0, k) };
      const tLast = history.timesDays[k - 1] ?? 0;
      return {
        row,
        history,
        lastMm: history.sizesMm[k - 1] ?? 0,
        nadirMm: Math.min(...history.sizesMm),
        targets: row.timesDays.slice(k).map((t, i) => ({
          horizonDays: t - tLast,
          weeks: row.weeks[k + i] ?? NaN,
          truthMm: row.diamMm[k + i] ?? NaN,
          truthNormvol: row.normvol[k + i] ?? NaN,
        })),
      };
    });
}

/** Runs a log-ratio predictor on every held-out point in one batch. */
export async function modelForecasts(
  cases: readonly BenchCase[],
  predict: (rows: Float32Array[]) => Promise<LogRatioQuantiles[]>,
): Promise<PointForecast[][]> {
  const rows = cases.flatMap((c) => c.targets.map((t) => growthFeatures(c.history, t.horizonDays)));
  const q = await predict(rows);
  let i = 0;
  return cases.map((c) =>
    c.targets.map(() => {
      const qi = q[i++]!;
      return {
        predMm: logRatioToMm(qi.q50, c.lastMm),
        q10Mm: logRatioToMm(qi.q10, c.lastMm),
        q90Mm: logRatioToMm(qi.q90, c.lastMm),
        pPd: progressionProbability(qi, c.lastMm, c.nadirMm),
      };
    }),
  );
}

export const locfForecasts = (cases: readonly BenchCase[]): PointForecast[][] =>
  cases.map((c) => c.targets.map(() => ({ predMm: c.lastMm })));

/** Per-row classical fit on the history; rows it cannot fit fall back to LOCF and are counted. */
export function classicalForecasts(
  cases: readonly BenchCase[],
  model: GrowthModelName,
): { forecasts: PointForecast[][]; failed: number; notConverged: number } {
  let failed = 0;
  let notConverged = 0;
  const forecasts = cases.map((c) => {
    const fit = fitGrowthModel(model, c.history);
    const tLast = c.history.timesDays[c.history.timesDays.length - 1] ?? 0;
    const ok = fit !== null && c.targets.every((t) => Number.isFinite(fit.predictMm(tLast + t.horizonDays)));
    if (!ok) failed++;
    else if (!fit.converged) notConverged++;
    return c.targets.map((t) => ({ predMm: ok ? fit.predictMm(tLast + t.horizonDays) : c.lastMm }));
  });
  return { forecasts, failed, notConverged };
}

export interface ErrorSummary {
  rows: number;
  maeMm: number;
  maeNormvol: number;
}

const diamToNormvol = (d: number): number => (d / NORMVOL_DIAM_MM) ** 3;

/** Mean over rows of the per-row MAE over its held-out points, in mm and normalised volume. */
export function errorSummary(cases: readonly BenchCase[], forecasts: readonly PointForecast[][]): ErrorSummary {
  let mm = 0;
  let nv = 0;
  cases.forEach((c, i) => {
    const f = forecasts[i]!;
    mm += c.targets.reduce((s, t, j) => s + Math.abs(f[j]!.predMm - t.truthMm), 0) / c.targets.length;
    nv += c.targets.reduce((s, t, j) => s + Math.abs(diamToNormvol(f[j]!.predMm) - t.truthNormvol), 0) / c.targets.length;
  });
  const n = cases.length;
  return { rows: n, maeMm: mm / n, maeNormvol: nv / n };
}

/** The summary overall and per study (study id -> summary). */
export function errorsByStudy(cases: readonly BenchCase[], forecasts: readonly PointForecast[][]) {
  const perStudy: Record<string, ErrorSummary> = {};
  for (const [s, idx] of studyIndex(cases)) perStudy[s] = errorSummary(idx.map((i) => cases[i]!), idx.map((i) => forecasts[i]!));
  return { overall: errorSummary(cases, forecasts), perStudy };
}

export interface IntervalSummary {
  points: number;
  /** Share of held-out points inside [q10, q90] (bounds inclusive). */
  coverage80: number;
  medianWidthMm: number;
  /** Brier score of pPd, and of the constant base rate (share of points that progressed). */
  brier: number;
  brierBaseRate: number;
  baseRate: number;
  /** Expected calibration error of pPd over 10 equal-width bins. */
  ece: number;
}

/** Calibration of the interval and of the progression probability over all held-out points. */
export function intervalSummary(cases: readonly BenchCase[], forecasts: readonly PointForecast[][]): IntervalSummary {
  const covered: number[] = [];
  const widths: number[] = [];
  const outcomes: number[] = [];
  const probs: number[] = [];
  cases.forEach((c, i) =>
    c.targets.forEach((t, j) => {
      const f = forecasts[i]![j]!;
      covered.push(t.truthMm >= (f.q10Mm ?? NaN) && t.truthMm <= (f.q90Mm ?? NaN) ? 1 : 0);
      widths.push((f.q90Mm ?? NaN) - (f.q10Mm ?? NaN));
      outcomes.push(t.truthMm >= recistProgressionThresholdMm(c.nadirMm) ? 1 : 0);
      probs.push(f.pPd ?? NaN);
    }),
  );
  const baseRate = mean(outcomes);
  return {
    points: outcomes.length,
    coverage80: mean(covered),
    medianWidthMm: median(widths),
    brier: brierScore(probs, outcomes),
    brierBaseRate: brierScore(outcomes.map(() => baseRate), outcomes),
    baseRate,
    ece: reliability(probs, outcomes).ece,
  };
}

/** intervalSummary overall and per study (study id -> summary). */
export function intervalsByStudy(cases: readonly BenchCase[], forecasts: readonly PointForecast[][]) {
  const perStudy: Record<string, IntervalSummary> = {};
  for (const [s, idx] of studyIndex(cases)) perStudy[s] = intervalSummary(idx.map((i) => cases[i]!), idx.map((i) => forecasts[i]!));
  return { overall: intervalSummary(cases, forecasts), perStudy };
}

/** Row indexes of each study, in study order. */
export function studyIndex(cases: readonly BenchCase[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const studies = [...new Set(cases.map((c) => c.row.study))].sort((a, b) => a - b);
  for (const s of studies) out.set(String(s), cases.flatMap((c, i) => (c.row.study === s ? [i] : [])));
  return out;
}
