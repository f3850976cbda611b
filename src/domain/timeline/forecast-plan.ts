import type { Derivation } from "./derive.ts";
import type { CohortSettings } from "./types.ts";

/** One size series to forecast: a track observed in the latest study, or the sum of diameters. */
export interface ForecastRequest {
  subject: { kind: "track"; trackId: string } | { kind: "sumOfDiameters"; basis: "recistTargets" | "allLesions" };
  timesDays: number[];
  sizesMm: number[];
  horizonsDays: number[];
}

/** Horizons after the last scan: the cohort's override, else the next two scans at its interval. */
export function horizonsOf(cohort: CohortSettings): number[] {
  return cohort.forecastHorizonsDays ?? [cohort.scanIntervalDays, 2 * cohort.scanIntervalDays];
}

/**
 * What to forecast for a patient: each track seen in the latest study, and the sum of
 * diameters (RECIST target sum when every time point has one, else all measured lesions).
 */
export function planForecasts(d: Derivation, cohort: CohortSettings): ForecastRequest[] {
  const last = d.studies.at(-1);
  if (!last) return [];
  const horizonsDays = horizonsOf(cohort);
  const requests: ForecastRequest[] = [];
  for (const t of d.tracks) {
    if (t.points.at(-1)?.studyKey !== last.key) continue;
    requests.push({
      subject: { kind: "track", trackId: t.trackId },
      timesDays: t.points.map((p) => p.timeDays),
      sizesMm: t.points.map((p) => p.diameterMm),
      horizonsDays,
    });
  }
  const times = d.studies.map((s) => s.timeDays - d.firstTimeDays);
  const recistSums = sumSeries(d, "recistTargets");
  if (recistSums.every((s) => s !== null) && recistSums[0]! > 0) {
    requests.push({ subject: { kind: "sumOfDiameters", basis: "recistTargets" }, timesDays: times, sizesMm: recistSums as number[], horizonsDays });
  } else {
    requests.push({ subject: { kind: "sumOfDiameters", basis: "allLesions" }, timesDays: times, sizesMm: sumSeries(d, "allLesions") as number[], horizonsDays });
  }
  return requests;
}

/**
 * The sum of diameters at each study, in study order: the RECIST target sum (null where a
 * time point has none, all null without a baseline sum) or the sum of all measured lesions.
 */
export function sumSeries(d: Derivation, basis: "recistTargets" | "allLesions"): (number | null)[] {
  if (basis === "allLesions") return d.studies.map((s) => d.sumsByStudy.get(s.key) ?? 0);
  const tps = d.recist.result.timepoints;
  const baselineSum = d.recist.result.baselineSum;
  if (!tps || baselineSum === null || baselineSum === undefined) return d.studies.map(() => null);
  return [baselineSum, ...tps.map((t) => t.sum)];
}
