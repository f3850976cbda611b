import type { ServerType } from "@hono/node-server";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumPath } from "../helpers/chromium.ts";
import { parseEnv } from "../../src/env.ts";
import { listen, openRuntime, type Runtime } from "../../src/server.ts";

const executablePath = chromiumPath();
if (!executablePath) console.warn("[e2e] no Chromium found (install Debian's `chromium` or set CHROMIUM_PATH): the /docs browser test is skipped");

describe.skipIf(!executablePath)("/docs: the API reference works without internet (headless Chromium)", () => {
  let rt: Runtime;
  let server: ServerType;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    rt = await openRuntime(parseEnv({}), "memory");
    const started = await listen(rt.deps, 0, "127.0.0.1");
    server = started.server;
    base = `http://127.0.0.1:${started.port}`;
    browser = await chromium.launch({ executablePath: executablePath!, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await rt?.handle.close();
  });

  it("loads only same-origin assets and lists the operations of /openapi.json", async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const page = await browser.newPage();
    const offOrigin: string[] = [];
    const failed: string[] = [];
    // Every request leaving the server's origin is refused, as it would be on a closed network.
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(base) || url.startsWith("data:")) return route.continue();
      offOrigin.push(url);
      return route.abort();
    });
    page.on("response", (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
    page.on("pageerror", (e) => failed.push(e.message));
    await page.goto(`${base}/docs`);
    await page.locator(".opblock-summary-path").first().waitFor({ timeout: 30_000 });
    const shown = new Set((await page.locator(".opblock-summary-path").allTextContents()).map((t) => t.replace(/\u200b/g, "").trim()));
    const expected = Object.keys(doc.paths).filter((p) => p.startsWith("/v1/"));
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.filter((p) => !shown.has(p))).toEqual([]);
    expect(offOrigin).toEqual([]);
    expect(failed).toEqual([]);
  });
});
