import { median } from "simple-statistics";
import { cohortCalibration, COHORT_CALIBRATION_MIN_SCORED, COHORT_CALIBRATION_WINDOW, scaleQuantiles, type ScoredInterval } from "../domain/growth/cohort-calibration.ts";
import { growthFeatures } from "../domain/growth/features.ts";
import { logRatioToMm } from "../domain/growth/forecast.ts";
import { progressionProbability, recistProgressionThresholdMm } from "../domain/growth/progression.ts";
import { evaluateQuantileModel, type QuantileModelParams } from "../domain/growth/quantile-model.ts";
import type { GrowthRow } from "../train/data.ts";

/** Patients of the replayed trial enrol evenly over this many days, in file order. */
const ACCRUAL_DAYS = 365;
const STEPS = 2;

interface Issued extends ScoredInterval {
  phase: "population" | "cohort";
  /** The same forecast under the population calibration (what "before" would have said). */
  populationQ10Mm: number;
  populationQ90Mm: number;
  pPd: number;
  progressed: boolean;
}

export interface ReplayPhase {
  forecasts: number;
  coverage80: number | null;
  medianWidthMm: number | null;
  brier: number | null;
}

export interface ReplayResult {
  study: string;
  patients: number;
  scans: number;
  minScored: number;
  /** Scans replayed before the cohort's calibration took over (null: it never did). */
  takeoverAtScan: number | null;
  before: ReplayPhase;
  after: ReplayPhase;
  /** The "after" forecasts had the population calibration stayed. */
  afterWithPopulation: ReplayPhase;
  finalScale: number;
}

const phase = (xs: readonly { inside: boolean; width: number; sq: number }[]): ReplayPhase => ({
  forecasts: xs.length,
  coverage80: xs.length ? xs.filter((x) => x.inside).length / xs.length : null,
  medianWidthMm: xs.length ? median(xs.map((x) => x.width)) : null,
  brier: xs.length ? xs.reduce((s, x) => s + x.sq, 0) / xs.length : null,
});

/**
 * Replays one trial's rows as a trial running in time: every scan of every patient in the
 * order of calendar time, forecasts issued at each scan for the next two, scored when those
 * arrive, with the cohort's own calibration (the service's rule) once enough are scored.
 */
export function replayTrial(study: string, rows: readonly GrowthRow[], params: QuantileModelParams): ReplayResult {
  const events = rows.flatMap((r, i) => r.timesDays.map((t, k) => ({ row: i, k, at: (i / Math.max(1, rows.length)) * ACCRUAL_DAYS + t - r.timesDays[0]! })));
  events.sort((a, b) => a.at - b.at || a.row - b.row || a.k - b.k);
  const pending = new Map<string, Issued>();
  const scored: Issued[] = [];
  let takeoverAtScan: number | null = null;
  events.forEach((e, scan) => {
    const r = rows[e.row]!;
    for (let step = 1; step <= STEPS; step++) {
      const key = `${e.row}/${e.k - step}/${step}`;
      const f = pending.get(key);
      if (!f) continue;
      pending.delete(key);
      f.actualMm = r.diamMm[e.k]!;
      scored.push(f);
    }
    if (e.k < 1) return;
    const calibration = cohortCalibration(scored.slice(-COHORT_CALIBRATION_WINDOW));
    if (calibration.source === "cohort" && takeoverAtScan === null) takeoverAtScan = scan;
    const history = { timesDays: r.timesDays.slice(0, e.k + 1), sizesMm: r.diamMm.slice(0, e.k + 1) };
    const last = r.diamMm[e.k]!;
    const nadir = Math.min(...history.sizesMm);
    for (let step = 1; step <= STEPS && e.k + step < r.diamMm.length; step++) {
      const raw = evaluateQuantileModel(params, growthFeatures(history, r.timesDays[e.k + step]! - r.timesDays[e.k]!));
      const q = scaleQuantiles(raw, calibration.scale);
      pending.set(`${e.row}/${e.k}/${step}`, {
        phase: calibration.source === "cohort" ? "cohort" : "population",
        predMm: logRatioToMm(q.q50, last),
        q10Mm: logRatioToMm(q.q10, last),
        q90Mm: logRatioToMm(q.q90, last),
        intervalScale: calibration.scale,
        actualMm: NaN,
        populationQ10Mm: logRatioToMm(raw.q10, last),
        populationQ90Mm: logRatioToMm(raw.q90, last),
        pPd: progressionProbability(q, last, nadir),
        progressed: r.diamMm[e.k + step]! >= recistProgressionThresholdMm(nadir),
      });
    }
  });
  const judged = (f: Issued, lo: number, hi: number) => ({ inside: f.actualMm >= lo && f.actualMm <= hi, width: hi - lo, sq: (f.pPd - (f.progressed ? 1 : 0)) ** 2 });
  const before = scored.filter((f) => f.phase === "population");
  const after = scored.filter((f) => f.phase === "cohort");
  return {
    study,
    patients: rows.length,
    scans: events.length,
    minScored: COHORT_CALIBRATION_MIN_SCORED,
    takeoverAtScan,
    before: phase(before.map((f) => judged(f, f.q10Mm, f.q90Mm))),
    after: phase(after.map((f) => judged(f, f.q10Mm, f.q90Mm))),
    afterWithPopulation: phase(after.map((f) => ({ ...judged(f, f.populationQ10Mm, f.populationQ90Mm), sq: NaN }))),
    finalScale: cohortCalibration(scored.slice(-COHORT_CALIBRATION_WINDOW)).scale,
  };
}

const f3 = (v: number | null): string => (v === null || Number.isNaN(v) ? "-" : v.toFixed(3));

export function printReplay(results: readonly ReplayResult[]): void {
  console.log(`replay: each study as a trial running in time (patients enrol evenly over ${ACCRUAL_DAYS} days, scans in calendar order); the model is fitted without that study`);
  console.log(["study", "patients", "scans", "takeover at scan", "before: n", "coverage", "width mm", "Brier", "| after (cohort): n", "coverage", "width mm", "Brier", "| after, population kept: coverage", "width mm", "final scale"].join("\t"));
  for (const r of results) {
    const b = r.before;
    const a = r.after;
    const p = r.afterWithPopulation;
    console.log([r.study, r.patients, r.scans, r.takeoverAtScan ?? "never", b.forecasts, f3(b.coverage80), f3(b.medianWidthMm), f3(b.brier), `| ${a.forecasts}`, f3(a.coverage80), f3(a.medianWidthMm), f3(a.brier), `| ${f3(p.coverage80)}`, f3(p.medianWidthMm), f3(r.finalScale)].join("\t"));
  }
}
