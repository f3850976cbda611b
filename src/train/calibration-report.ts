import { existsSync } from "node:fs";
import { grewAtEachInterval } from "../domain/growth/damped-trend.ts";
import type { GrowthRow } from "./data.ts";
import { errorsByStudy, intervalsByStudy, locfForecasts, studyIndex, type BenchCase, type IntervalSummary, type PointForecast } from "./evaluate.ts";
import { locfQuantileForecasts, locfQuantileTable } from "./locf-quantiles.ts";

/**
 * Per held-out study: the model's 80 % interval and P(PD) against the multiplicative
 * LOCF-plus-quantiles baseline, whose quantiles come from the other studies of the file
 * (a file of one study takes them from `referenceRows`, e.g. the training file).
 */
export function baselineForecastsLoso(rows: readonly GrowthRow[], cases: readonly BenchCase[], referenceRows: () => GrowthRow[] | null) {
  const out: PointForecast[][] = new Array(cases.length);
  let source = "other studies of this file";
  for (const [s, idx] of studyIndex(cases)) {
    let train: readonly GrowthRow[] = rows.filter((r) => String(r.study) !== s);
    if (train.length === 0) {
      train = referenceRows() ?? [];
      source = "the reference training file";
    }
    if (train.length === 0) throw new Error("bench growth: no other study to take baseline quantiles from (pass --baseline-data)");
    const f = locfQuantileForecasts(locfQuantileTable(train), idx.map((i) => cases[i]!));
    idx.forEach((i, k) => (out[i] = f[k]!));
  }
  return { forecasts: out, source };
}

export interface StudyCalibrationRow {
  study: string;
  points: number;
  model: IntervalSummary & { maeRatioToLocf: number };
  baseline: IntervalSummary;
}

/** The per-study table of issue 14, plus the pooled row ("all"). */
export function calibrationTable(cases: readonly BenchCase[], model: readonly PointForecast[][], baseline: readonly PointForecast[][]): StudyCalibrationRow[] {
  const m = intervalsByStudy(cases, model);
  const b = intervalsByStudy(cases, baseline);
  const em = errorsByStudy(cases, model);
  const el = errorsByStudy(cases, locfForecasts(cases));
  const row = (study: string, mi: IntervalSummary, bi: IntervalSummary, ratio: number): StudyCalibrationRow => ({
    study,
    points: mi.points,
    model: { ...mi, maeRatioToLocf: ratio },
    baseline: bi,
  });
  return [
    ...Object.keys(m.perStudy).map((s) => row(s, m.perStudy[s]!, b.perStudy[s]!, em.perStudy[s]!.maeMm / el.perStudy[s]!.maeMm)),
    row("all", m.overall, b.overall, em.overall.maeMm / el.overall.maeMm),
  ];
}

export interface GrownSubset {
  intervals: number;
  rows: number;
  /** MAE x LOCF on the subset, pooled and per study (null when the study has none). */
  ratioToLocf: number | null;
  perStudy: Record<string, { rows: number; ratioToLocf: number | null }>;
}

/** Rows whose history grew at each of its last `intervals` intervals: does the forecast beat LOCF there? */
export function grownSubset(cases: readonly BenchCase[], model: readonly PointForecast[][], intervals: number): GrownSubset {
  const idx = cases.flatMap((c, i) => (grewAtEachInterval(c.history.sizesMm, intervals) ? [i] : []));
  const ratio = (ids: number[]): number | null => {
    if (ids.length === 0) return null;
    const sub = ids.map((i) => cases[i]!);
    const m = errorsByStudy(sub, ids.map((i) => model[i]!)).overall.maeMm;
    const l = errorsByStudy(sub, locfForecasts(sub)).overall.maeMm;
    return l > 0 ? m / l : null;
  };
  const perStudy: GrownSubset["perStudy"] = {};
  for (const [s, all] of studyIndex(cases)) {
    const ids = all.filter((i) => idx.includes(i));
    perStudy[s] = { rows: ids.length, ratioToLocf: ratio(ids) };
  }
  return { intervals, rows: idx.length, ratioToLocf: ratio(idx), perStudy };
}

/** Reads the reference file only when a one-study file needs it. */
export function lazyReference(file: string | undefined, read: (f: string) => GrowthRow[]): () => GrowthRow[] | null {
  let cached: GrowthRow[] | null | undefined;
  return () => (cached ??= file && existsSync(file) ? read(file) : null);
}

