import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, send, type TestApp } from "../helpers/test-app.ts";

// The page's files do not touch the database: one backend is enough.
describe("web page files (/ui)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ name: "pglite", target: "memory" });
  });
  afterAll(async () => t.close());

  it("serves the page with a same-origin content security policy", async () => {
    for (const path of ["/ui", "/ui/"]) {
      const res = await send(t.app, "GET", path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      const html = await res.text();
      expect(html).toContain('<script type="module" src="/ui/app.js"></script>');
      expect(html).not.toMatch(/https?:\/\//);
    }
  });

  it("serves every module the page imports, and uPlot with its licence from the installed package", async () => {
    const seen = new Set<string>();
    const queue = ["/ui/app.js"];
    while (queue.length > 0) {
      const path = queue.pop()!;
      if (seen.has(path)) continue;
      seen.add(path);
      const res = await send(t.app, "GET", path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      const js = await res.text();
      if (path.includes("/vendor/")) continue;
      for (const m of js.matchAll(/from "([^"]+)"/g)) queue.push(new URL(m[1]!, `http://x${path}`).pathname);
    }
    expect(seen).toContain("/ui/vendor/uPlot.esm.js");
    expect(seen.size).toBeGreaterThan(5);
    const css = await send(t.app, "GET", "/ui/vendor/uPlot.min.css");
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await (await send(t.app, "GET", "/ui/vendor/uPlot.LICENSE")).text()).toContain("MIT License");
  });

  it("answers 304 to the current ETag", async () => {
    const first = await send(t.app, "GET", "/ui/style.css");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await send(t.app, "GET", "/ui/style.css", undefined, { "if-none-match": etag! });
    expect(again.status).toBe(304);
  });

  it("redirects / to the page", async () => {
    const res = await send(t.app, "GET", "/");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/ui");
  });
});
