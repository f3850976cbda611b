import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
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
  it("leave-one-study-out: no study worse than 1.03 x LOCF, coverage of the 80 % interval in [0.77, 0.83], Brier below base rate", async () => {
    const cv = await leaveOneStudyOut(rows);
    for (const [study, m] of Object.entries(cv.model.perStudy)) {
      expect(m.maeMm, `study ${study}`).toBeLessThanOrEqual(1.03 * cv.locf.perStudy[study]!.maeMm);
    }
    expect(cv.interval.coverage80).toBeGreaterThanOrEqual(0.77);
    expect(cv.interval.coverage80).toBeLessThanOrEqual(0.83);
    expect(cv.interval.brier).toBeLessThan(cv.interval.brierBaseRate);
  });
});
