import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, type TestApp } from "../helpers/test-app.ts";
import { exportSdtm } from "../../src/service/export-sdtm.ts";
import { exportObservationsCsv } from "../../src/service/export-csv.ts";

describe.each(backends)("exports, bad input ($name)", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(async () => t.close());

  it("an unknown cohort is not_found for both exports, and the sink is never called", async () => {
    let called = 0;
    const ctx = { ...t.deps, actor: "test-export" };
    await expect(exportSdtm({ ctx, cohortId: "no-such-cohort", sink: async () => void called++ })).rejects.toMatchObject({ code: "not_found" });
    await expect(exportObservationsCsv({ ctx, cohortId: "no-such-cohort", sink: async () => void called++ })).rejects.toMatchObject({ code: "not_found" });
    expect(called).toBe(0);
  });
});
