import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, type TestApp } from "../helpers/test-app.ts";
import { makeCohort } from "../helpers/factories.ts";

describe.each(backends)("forecast skill: errors and empty cohorts ($name)", (backend) => {
  let t: TestApp;
  let cohortId: string;
  beforeAll(async () => {
    t = await createTestApp(backend);
    cohortId = await makeCohort(t);
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  it("an unknown cohort is a problem+json 404", async () => {
    const res = await send(t.app, "GET", "/v1/cohorts/no-such-cohort/forecast-skill");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
  it("a cohort with nothing scored answers n = 0 and null figures, not an error", async () => {
    const res = await send(t.app, "GET", `/v1/cohorts/${cohortId}/forecast-skill`);
    expect(res.status).toBe(200);
    const skill = (await res.json()) as any;
    expect(skill.overall).toMatchObject({ n: 0, maeMm: null, coverage80: null, brier: null });
    expect(skill.calibration).toMatchObject({ source: "population", scoredForecasts: 0 });
  });
});
