import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { ServerType } from "@hono/node-server";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, chromiumPath } from "../helpers/chromium.ts";
import { parseEnv } from "../../src/env.ts";
import { listen, openRuntime, type Runtime } from "../../src/server.ts";
import { createKey } from "../../src/service/keys-create.ts";
import { seedDemo } from "../../src/service/seed-demo.ts";

const SHOTS = resolve("test-output/screenshots");

const executablePath = chromiumPath();
if (!executablePath) console.warn("[e2e] no Chromium found (install Debian's `chromium` or set CHROMIUM_PATH): the forecast-skill browser test is skipped");

describe.skipIf(!executablePath)("cohort page: forecast skill panel in headless Chromium", () => {
  let rt: Runtime;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rt = await openRuntime(parseEnv({}), "memory");
    const ctx = { ...rt.deps, actor: "e2e-seed" };
    await seedDemo({ ctx, cohortId: "demo", options: { patients: 8 } });
    key = (await createKey({ ctx, input: { name: "e2e-skill", scopes: ["demo:read"] } })).token;
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

  it("draws one dot per non-empty reliability bin and shows the API's figures", async () => {
    const skill = (await (await fetch(`${base}/v1/cohorts/demo/forecast-skill`, { headers: { "x-api-key": key } })).json()) as any;
    // The demo arrives one scan at a time, so its forecasts have been scored.
    expect(skill.overall.n).toBeGreaterThan(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    await page.goto(`${base}/ui`);
    await page.evaluate((k) => localStorage.setItem("lesiontrack.apiKey", k), key);
    problems.length = 0; // the first load, without a key, is answered 401 by design
    await page.goto(`${base}/ui#/cohorts/demo`);
    const fig = page.locator('figure[data-chart="skill"][data-rendered="true"]');
    await fig.waitFor({ timeout: 20_000 });
    const bins = skill.overall.reliability.filter((b: any) => b.n > 0).length;
    expect(Number(await fig.getAttribute("data-points"))).toBe(bins);
    await expect(fig.locator('[data-figure="n"] b').textContent()).resolves.toBe(String(skill.overall.n));
    await expect(fig.locator('[data-figure="maeRatioToLocf"] b').textContent()).resolves.toBe(skill.overall.maeRatioToLocf.toFixed(3));
    await expect(fig.locator('[data-figure="coverage80"] b').textContent()).resolves.toBe(`${Math.round(100 * skill.overall.coverage80)} %`);
    await expect(fig.locator('[data-figure="brier"] b').textContent()).resolves.toBe(skill.overall.brier.toFixed(3));
    // The dots are drawn in the data colour (#0072b2): the canvas holds coloured pixels.
    const coloured = await page.$eval('figure[data-chart="skill"] canvas', (c) => {
      const canvas = c as HTMLCanvasElement;
      const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 200 && d[i + 2]! > 150 && d[i]! < 60) n++;
      return n;
    });
    expect(coloured).toBeGreaterThan(20 * bins);
    await fig.screenshot({ path: `${SHOTS}/skill-panel.png` });
    expect(problems).toEqual([]);
  });
});
