import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send, uniqueId } from "../helpers/test-app.ts";

const VIEWS = ["spider", "waterfall", "swimmer"] as const;

describe.each(backends)("cohort views, bad requests ($name)", (backend) => {
  const suite = useAppWithCohort(backend);

  const problemOf = async (res: Response, status: number) => {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ status, code: expect.any(String), detail: expect.any(String), requestId: expect.any(String) });
    return body;
  };

  it.each(VIEWS)("%s: 404 problem+json for an unknown cohort", async (view) => {
    const missing = uniqueId("missing");
    const body = await problemOf(await send(suite.t.app, "GET", `/v1/cohorts/${missing}/${view}`), 404);
    expect(body.code).toBe("not_found");
    expect(body.detail).toContain(missing);
  });

  it.each(VIEWS)("%s: 400 naming the path parameter for an invalid cohort id", async (view) => {
    const body = await problemOf(await send(suite.t.app, "GET", `/v1/cohorts/${encodeURIComponent("bad id!")}/${view}`), 400);
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e: any) => e.path)).toContain("param.cohortId");
  });

  it("views are read-only: other methods are not routes", async () => {
    const res = await send(suite.t.app, "POST", `/v1/cohorts/${suite.cohortId}/waterfall`, {});
    expect([404, 405]).toContain(res.status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
