// Forecasts keep score: records made at a study, scored when their target scan arrives (worked by hand).
import { describe, expect, it } from "vitest";
import { forecastRecords, scoreArrived, subjectKey, type ForecastRecord } from "../../../src/domain/growth/forecast-scoring.ts";
import type { Forecast } from "../../../src/domain/growth/forecast.ts";
import type { Derivation } from "../../../src/domain/timeline/derive.ts";

const forecast = (horizonDays: number, predMm: number, q10Mm: number, q90Mm: number): Forecast => ({
  horizonDays, timeDays: 0, predMm, q10Mm, q90Mm, pProgression: 0.3, method: "model", modelVersion: "m1",
  baselines: { locf: predMm }, calibration: { source: "cohort", scale: 1.2, scoredForecasts: 40 },
});

describe("subjectKey", () => {
  it("names tracks and sums of diameters", () => {
    expect(subjectKey({ kind: "track", trackId: "T01" })).toBe("track:T01");
    expect(subjectKey({ kind: "sumOfDiameters", basis: "recistTargets" })).toBe("sum:recistTargets");
  });
});

describe("forecastRecords", () => {
  it("records one forecast per horizon with the last size, the nadir so far and the calibration used", () => {
    const records = forecastRecords(
      [
        { subject: { kind: "track", trackId: "T01" }, timesDays: [0, 56, 112], sizesMm: [20, 18, 22], horizonsDays: [56, 112] },
        { subject: { kind: "sumOfDiameters", basis: "allLesions" }, timesDays: [], sizesMm: [], horizonsDays: [56] }, // nothing measured: no record
        { subject: { kind: "track", trackId: "T02" }, timesDays: [0], sizesMm: [15], horizonsDays: [56] }, // no forecast made: no record
      ],
      [[forecast(56, 23, 19, 27), forecast(112, 24, 17, 31)], [forecast(56, 0, 0, 0)]],
      "s2",
    );
    expect(records).toEqual([
      { subject: "track:T01", originStudyKey: "s2", step: 1, horizonDays: 56, lastMm: 22, nadirMm: 18, predMm: 23, q10Mm: 19, q90Mm: 27, pProgression: 0.3, modelVersion: "m1", calibration: "cohort", intervalScale: 1.2 },
      { subject: "track:T01", originStudyKey: "s2", step: 2, horizonDays: 112, lastMm: 22, nadirMm: 18, predMm: 24, q10Mm: 17, q90Mm: 31, pProgression: 0.3, modelVersion: "m1", calibration: "cohort", intervalScale: 1.2 },
    ]);
  });
});

describe("scoreArrived", () => {
  // Four studies; T01 measured 20, 18, 22, then 23 at s3; T02 only at s0. All-lesion sums 35, 18, 22, 23;
  // RECIST target sums: baseline 20, then 18, 22, 23.
  const point = (studyKey: string, diameterMm: number) => ({ studyKey, diameterMm });
  const d = {
    studies: ["s0", "s1", "s2", "s3"].map((key) => ({ key })),
    tracks: [
      { trackId: "T01", points: [point("s0", 20), point("s1", 18), point("s2", 22), point("s3", 23)] },
      { trackId: "T02", points: [point("s0", 15)] },
    ],
    sumsByStudy: new Map([["s0", 35], ["s1", 18], ["s2", 22], ["s3", 23]]),
    recist: { result: { baselineSum: 20, timepoints: [{ sum: 18 }, { sum: 22 }, { sum: 23 }] } },
  } as unknown as Derivation;
  const record = (over: Partial<ForecastRecord>): ForecastRecord => ({
    subject: "track:T01", originStudyKey: "s2", step: 1, horizonDays: 56, lastMm: 22, nadirMm: 18, predMm: 25, q10Mm: 19, q90Mm: 27,
    pProgression: 0.3, modelVersion: "m1", calibration: "population", intervalScale: 1, ...over,
  });

  it("scores a forecast whose target scan arrived: errors of the forecast and of LOCF, inside, progressed", () => {
    // actual 23: |25 - 23| = 2, LOCF |22 - 23| = 1; 19 <= 23 <= 27; threshold max(1.2 x 18, 18 + 5) = 23 -> progressed (>=).
    expect(scoreArrived([record({})], d)).toEqual([
      { subject: "track:T01", originStudyKey: "s2", step: 1, targetStudyKey: "s3", actualMm: 23, absErrorMm: 2, locfAbsErrorMm: 1, inside: true, progressed: true },
    ]);
  });

  it("counts the interval's ends as inside and a size just under the threshold as no progression", () => {
    expect(scoreArrived([record({ q10Mm: 23, q90Mm: 30 }), record({ q10Mm: 10, q90Mm: 23 })], d).map((s) => s.inside)).toEqual([true, true]);
    expect(scoreArrived([record({ q10Mm: 23.1 }), record({ q90Mm: 22.9 })], d).map((s) => s.inside)).toEqual([false, false]);
    // nadir 18.5: threshold max(22.2, 23.5) = 23.5 > 23
    expect(scoreArrived([record({ nadirMm: 18.5 })], d)[0]!.progressed).toBe(false);
  });

  it("waits while the target scan has not arrived, or does not measure the subject", () => {
    expect(scoreArrived([record({ step: 2 }), record({ originStudyKey: "s9" }), record({ subject: "track:T02" }), record({ subject: "track:T99" })], d)).toEqual([]);
  });

  it("scores sums of diameters on their own basis; an unknown basis is never scored", () => {
    const scores = scoreArrived([record({ subject: "sum:allLesions", originStudyKey: "s0", step: 1, lastMm: 35 }), record({ subject: "sum:recistTargets", originStudyKey: "s1", step: 2, lastMm: 18 }), record({ subject: "sum:other" })], d);
    expect(scores.map((s) => [s.subject, s.targetStudyKey, s.actualMm, s.locfAbsErrorMm])).toEqual([
      ["sum:allLesions", "s1", 18, 17],
      ["sum:recistTargets", "s3", 23, 5],
    ]);
  });
});
