import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, send, type TestApp } from "../helpers/test-app.ts";

describe.each(backends)("health and OpenAPI ($name)", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(backend);
  });
  afterAll(async () => t.close());

  it("reports health with the model in use", async () => {
    const res = await send(t.app, "GET", "/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", model: { kind: expect.stringMatching(/onnx|baseline/) } });
  });

  it("serves an OpenAPI 3.1 document listing every route", async () => {
    const res = await send(t.app, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe("3.1.0");
    for (const path of ["/v1/cohorts", "/v1/cohorts/{cohortId}", "/v1/cohorts/{cohortId}/patients", "/v1/cohorts/{cohortId}/patients/{patientId}", "/v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}", "/v1/cohorts/{cohortId}/patients/{patientId}/timeline"]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas.StudyInput).toBeDefined();
  });

  it("serves interactive docs and a problem for unknown routes", async () => {
    expect((await send(t.app, "GET", "/docs")).status).toBe(200);
    const res = await send(t.app, "GET", "/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
