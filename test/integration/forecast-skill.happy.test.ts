import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, type TestApp } from "../helpers/test-app.ts";
import { makeCohort, makePatient, studyBody } from "../helpers/factories.ts";

const LIVER: [number, number, number] = [100, 50, 200];
const at = (k: number): [number, number, number] => [LIVER[0] + k, LIVER[1] - k, LIVER[2] + 2 * k];
const SCANS = [
  ["S1", "2024-01-01", 20],
  ["S2", "2024-02-26", 22],
  ["S3", "2024-04-22", 25],
  ["S4", "2024-06-17", 30],
] as const;

interface Promise80 { predMm: number; q10Mm: number; q90Mm: number; pProgression: number; calibration: { source: string } }

describe.each(backends)("forecast skill: forecasts scored at ingest ($name)", (backend) => {
  let t: TestApp;
  let cohortId: string;
  /** Forecasts each timeline promised, by origin study: [track forecasts, sum forecasts]. */
  const promised = new Map<string, { track: Promise80[]; sum: Promise80[]; sumsSoFar: number[] }>();

  beforeAll(async () => {
    t = await createTestApp(backend);
    cohortId = await makeCohort(t, { settings: { scanIntervalDays: 56 } });
    await makePatient(t, cohortId, "P1");
    for (const [i, [key, date, mm]] of SCANS.entries()) {
      const res = await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/${key}`, studyBody(date, [{ pos: at(i), long: mm }]));
      expect(res.status).toBe(201);
      const tl = (await (await send(t.app, "GET", `/v1/cohorts/${cohortId}/patients/P1/timeline`)).json()) as any;
      promised.set(key, {
        track: tl.tracks[0].forecasts,
        sum: tl.forecasts.sumOfDiameters.forecasts,
        sumsSoFar: tl.studies.map((s: any) => s.sumOfDiametersMm ?? s.sumMm),
      });
    }
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  it("scores each forecast once its target scan arrives, with the figures the timelines promised", async () => {
    const res = await send(t.app, "GET", `/v1/cohorts/${cohortId}/forecast-skill`);
    expect(res.status).toBe(200);
    const skill = (await res.json()) as any;
    // Origins S1..S3 with 2 horizons each: S2 step 1 and 2, S3 step 1 have arrived; S1 (single scan) too.
    // Scored: (S1,1)->S2 (S1,2)->S3 (S2,1)->S3 (S2,2)->S4 (S3,1)->S4 for the track and for the sum.
    const truth: Record<string, number> = { S2: 22, S3: 25, S4: 30 };
    const expected: { pred: number; q10: number; q90: number; last: number; actual: number }[] = [];
    for (const [origin, step, target] of [["S1", 1, "S2"], ["S1", 2, "S3"], ["S2", 1, "S3"], ["S2", 2, "S4"], ["S3", 1, "S4"]] as const) {
      const p = promised.get(origin)!;
      const last = SCANS.find((s) => s[0] === origin)![2];
      for (const f of [p.track[step - 1]!, p.sum[step - 1]!]) expected.push({ pred: f.predMm, q10: f.q10Mm, q90: f.q90Mm, last, actual: truth[target]! });
    }
    expect(skill.overall.n).toBe(expected.length);
    const mae = expected.reduce((s, e) => s + Math.abs(e.pred - e.actual), 0) / expected.length;
    const locf = expected.reduce((s, e) => s + Math.abs(e.last - e.actual), 0) / expected.length;
    const inside = expected.filter((e) => e.actual >= e.q10 && e.actual <= e.q90).length / expected.length;
    expect(skill.overall.maeMm).toBeCloseTo(mae, 3);
    expect(skill.overall.locfMaeMm).toBeCloseTo(locf, 6);
    expect(skill.overall.maeRatioToLocf).toBeCloseTo(mae / locf, 3);
    expect(skill.overall.coverage80).toBeCloseTo(inside, 6);
    expect(skill.overall.reliability).toHaveLength(10);
    expect(skill.overall.reliability.reduce((s: number, b: any) => s + b.n, 0)).toBe(expected.length);
    expect(skill.bySeries.tracks.n).toBe(5);
    expect(skill.bySeries.sumOfDiameters.n).toBe(5);
    expect(skill.byModelVersion.reduce((s: number, v: any) => s + v.n, 0)).toBe(expected.length);
    // 5 scored is far below the threshold: the population calibration stands, and forecasts say so.
    expect(skill.calibration).toMatchObject({ source: "population", scale: 1, minScored: 50 });
    expect(promised.get("S4")!.track[0]!.calibration.source).toBe("population");
    expect(promised.get("S1")!.track[0]!.calibration.source).toBe("fallback");
  });

  it("the same study again scores nothing twice", async () => {
    const again = await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/S4`, studyBody("2024-06-17", [{ pos: at(3), long: 30 }]));
    expect([200, 201]).toContain(again.status);
    const skill = (await (await send(t.app, "GET", `/v1/cohorts/${cohortId}/forecast-skill`)).json()) as any;
    expect(skill.overall.n).toBe(10);
  });
});
