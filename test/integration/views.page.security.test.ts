import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, send, type TestApp } from "../helpers/test-app.ts";

describe("web page files (/ui), hostile paths", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ name: "pglite", target: "memory" });
  });
  afterAll(async () => t.close());

  it.each([
    "/ui/../package.json",
    "/ui/%2e%2e/package.json",
    "/ui/..%2f..%2fpackage.json",
    "/ui/vendor/../../../package.json",
    "/ui/not-a-file.js",
    "/ui/vendor/uPlot.cjs.js",
    "/ui/server.ts",
  ])("%s: only the listed files are served (404 problem+json)", async (path) => {
    const res = await send(t.app, "GET", path);
    expect([404]).toContain(res.status);
    const body = await res.text();
    expect(body).not.toContain('"dependencies"');
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("forbids framing and inline script on the page", async () => {
    const res = await send(t.app, "GET", "/ui");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });
});
