import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { baselineForecastsLoso, calibrationTable, grownSubset } from "../../../src/train/calibration-report.ts";
import { leaveOneStudyOut } from "../../../src/train/cross-validate.ts";
import { readGrowthCsv } from "../../../src/train/data.ts";
import { benchCases, errorSummary, locfForecasts } from "../../../src/train/evaluate.ts";

const DATA = path.resolve(process.cwd(), "../shared/data/growth/laleh2022_train.csv");
const present = existsSync(DATA);
if (!present) console.log(`growth data absent (${DATA}): skipping the laleh2022 checks`);

describe.skipIf(!present)("laleh2022_train.csv through the benchmark protocol", () => {
  const { rows } = present ? readGrowthCsv(DATA) : { rows: [] };
  it("reads every row with lists of equal length and days = 7 x weeks", () => {
    expect(rows.length).toBe(1318); // README "Shape"
    for (const r of rows) expect(r.timesDays).toEqual(r.weeks.map((w) => 7 * w));
  });
  it("selects the README's 580 rows and reproduces its LOCF reference numbers", () => {
    const cases = benchCases(rows);
    expect(cases).toHaveLength(580);
    const locf = errorSummary(cases, locfForecasts(cases));
    expect(locf.maeMm).toBeCloseTo(3.78, 2); // README: 3.78 mm
    expect(locf.maeNormvol).toBeCloseTo(0.002591, 6); // README: 0.002591
  });
  it("leave-one-study-out, in every held-out study: coverage of the 80 % interval in [0.77, 0.83], median width <= the LOCF-quantile baseline's, Brier below base rate, MAE <= 1.01 x LOCF", async () => {
    const cv = await leaveOneStudyOut(rows);
    const baseline = baselineForecastsLoso(rows, cv.cases, () => null);
    const table = calibrationTable(cv.cases, cv.forecasts, baseline.forecasts);
    expect(table.map((r) => r.study)).toEqual(["1", "2", "3", "4", "all"]);
    for (const r of table) {
      expect(r.model.coverage80, `study ${r.study}`).toBeGreaterThanOrEqual(0.77);
      expect(r.model.coverage80, `study ${r.study}`).toBeLessThanOrEqual(0.83);
      expect(r.model.medianWidthMm, `study ${r.study}`).toBeLessThanOrEqual(r.baseline.medianWidthMm);
      expect(r.model.brier, `study ${r.study}`).toBeLessThan(r.model.brierBaseRate);
      expect(r.model.maeRatioToLocf, `study ${r.study}`).toBeLessThanOrEqual(1.01);
    }
    // rows that grew at each of their last 3 intervals: the damped trend beats LOCF out of study
    expect(grownSubset(cv.cases, cv.forecasts, 3).ratioToLocf!).toBeLessThanOrEqual(0.95);
  });
});
