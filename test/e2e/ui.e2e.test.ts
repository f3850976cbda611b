import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { ServerType } from "@hono/node-server";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../src/env.ts";
import { listen, openRuntime, type Runtime } from "../../src/server.ts";
import { createKey } from "../../src/service/keys-create.ts";
import { seedDemo } from "../../src/service/seed-demo.ts";

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const SHOTS = resolve("test-output/screenshots");

/** CHROMIUM_PATH, else the Debian / Ubuntu package names on PATH. */
function findChromium(): string | null {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const found = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (found) return found;
    } catch {
      /* not on PATH */
    }
  }
  return null;
}

const executablePath = findChromium();
if (!executablePath) console.warn("[e2e] no Chromium found (install Debian's `chromium` or set CHROMIUM_PATH): the browser test is skipped");

/** Pixels of a chart's canvas that are strongly coloured: axes, grid and reference lines are grey, data is not. */
async function colouredPixels(page: Page, chart: string): Promise<number> {
  return page.$eval(`figure[data-chart="${chart}"] canvas`, (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 200 && Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!) > 60) n++;
    return n;
  });
}

/** Waits until the page shows an alert with this text (the page re-renders after each key change). */
const alertSays = (page: Page, text: string) => page.getByRole("alert").filter({ hasText: text }).waitFor({ timeout: 10_000 });

async function chartStats(page: Page, chart: string) {
  const fig = page.locator(`figure[data-chart="${chart}"][data-rendered="true"]`);
  await fig.waitFor({ timeout: 15_000 });
  return { series: Number(await fig.getAttribute("data-series")), points: Number(await fig.getAttribute("data-points")), coloured: await colouredPixels(page, chart) };
}

describe.skipIf(!executablePath)("web page in headless Chromium", () => {
  let rt: Runtime;
  let server: ServerType;
  let base: string;
  let browser: Browser;
  let readKey: string;
  const api = async (path: string) => (await fetch(`${base}/v1${path}`, { headers: { "x-api-key": readKey } })).json() as Promise<any>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // What `npm start` runs (real key store and authenticator), on in-memory PGlite with a small demo cohort.
    rt = await openRuntime(parseEnv({}), "memory");
    const ctx = { ...rt.deps, actor: "e2e-seed" };
    await seedDemo({ ctx, cohortId: "demo", options: { patients: 8 } });
    readKey = (await createKey({ ctx, input: { name: "e2e-reader", scopes: ["demo:read"] } })).token;
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

  it("takes a read key, then goes from the cohort list to the cohort charts to a patient's timeline, each drawing real data", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("requestfailed", (r) => problems.push(`failed: ${r.url()}`));
    page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    const offOrigin: string[] = [];
    page.on("request", (r) => !r.url().startsWith(base) && offOrigin.push(r.url()));

    await page.goto(`${base}/ui`);
    await alertSays(page, "API key is needed");
    await page.screenshot({ path: `${SHOTS}/1-key-needed.png` });
    await page.getByLabel("API key").fill(readKey);
    await page.getByRole("button", { name: "Use key" }).click();
    const demoLink = page.locator('a[data-cohort="demo"]');
    await demoLink.waitFor();
    await expect(page.evaluate(() => localStorage.getItem("lesiontrack.apiKey"))).resolves.toBe(readKey);
    await page.screenshot({ path: `${SHOTS}/2-cohorts.png` });
    await demoLink.click();

    const [waterfall, spider, swimmer] = await Promise.all([api("/cohorts/demo/waterfall"), api("/cohorts/demo/spider"), api("/cohorts/demo/swimmer")]);
    expect(waterfall.patients.length).toBeGreaterThan(0);
    const wf = await chartStats(page, "waterfall");
    expect(wf.points).toBe(waterfall.patients.length);
    expect(wf.series).toBe(new Set(waterfall.patients.map((p: any) => p.response ?? "NE")).size);
    expect(wf.coloured).toBeGreaterThan(500);
    const sp = await chartStats(page, "spider");
    expect(sp.series).toBe(spider.patients.filter((p: any) => p.points.some((q: any) => q.pctChangeFromBaseline !== null)).length);
    expect(sp.points).toBe(spider.patients.flatMap((p: any) => p.points).filter((q: any) => q.pctChangeFromBaseline !== null).length);
    expect(sp.coloured).toBeGreaterThan(300);
    const sw = await chartStats(page, "swimmer");
    expect(sw.series).toBe(swimmer.patients.length);
    expect(sw.points).toBe(swimmer.patients.reduce((n: number, p: any) => n + p.studies.length, 0));
    expect(sw.coloured).toBeGreaterThan(300);
    await expect(page.locator("#waterfall-desc").textContent()).resolves.toContain("-30 % and +20 %");
    await expect(page.locator("#patients tbody tr").count()).resolves.toBe(swimmer.patients.length);
    await page.screenshot({ path: `${SHOTS}/3-cohort-demo.png`, fullPage: true });

    // Pointing at a spider line names its patient (searching a grid of points for a line).
    const spiderOver = page.locator('figure[data-chart="spider"] .u-over');
    const sbox = (await spiderOver.boundingBox())!;
    const readout = page.locator('figure[data-chart="spider"] .readout');
    const ids = new Set(spider.patients.map((p: any) => p.patientId));
    let named: string | null = null;
    for (let fx = 0.1; fx < 1 && !named; fx += 0.1) {
      for (let fy = 0.1; fy < 1 && !named; fy += 0.1) {
        await spiderOver.hover({ position: { x: fx * sbox.width, y: fy * sbox.height } });
        const text = (await readout.textContent()) ?? "";
        named = text.split(":")[0]!.trim();
        if (!ids.has(named)) named = null;
      }
    }
    expect(named).not.toBeNull();

    // The patient with the most scans: the richest timeline.
    const patientId = swimmer.patients.reduce((a: any, b: any) => (b.studyCount > a.studyCount ? b : a)).patientId;
    await page.locator(`#patients a[data-patient="${patientId}"]`).click();
    await page.waitForURL(`**/ui#/cohorts/demo/patients/${patientId}`);
    const doc = await api(`/cohorts/demo/patients/${patientId}/timeline`);
    const tl = await chartStats(page, "timeline");
    expect(tl.series).toBe(doc.tracks.length);
    expect(tl.points).toBe(doc.tracks.reduce((n: number, t: any) => n + t.observations.length, 0));
    expect(tl.coloured).toBeGreaterThan(300);
    const fig = page.locator('figure[data-chart="timeline"]');
    await page.locator('figure[data-chart="sum"][data-rendered="true"]').waitFor();
    expect(Number(await page.locator('figure[data-chart="sum"]').getAttribute("data-forecasts"))).toBe(doc.forecasts.sumOfDiameters.forecasts.length);
    expect(Number(await fig.getAttribute("data-markers"))).toBe(doc.events.filter((e: any) => ["new", "vanished", "reappeared"].includes(e.type)).length);
    await expect(page.locator("#tracks tbody tr").count()).resolves.toBe(doc.tracks.length);
    await expect(page.locator("#studies tbody tr").count()).resolves.toBe(doc.studies.length);
    await expect(page.locator("#studies tbody .badge").count()).resolves.toBe(doc.studies.length - 1);
    const linkedTrack = doc.tracks.find((t: any) => t.observations.length > 1);
    if (linkedTrack) await expect(page.locator("#tracks").textContent()).resolves.toMatch(/\d+ % matcher/);
    await expect(page.locator("h1").textContent()).resolves.toBe(`Patient ${patientId}`);
    await page.screenshot({ path: `${SHOTS}/4-patient-${patientId}.png`, fullPage: true });

    // Back through the breadcrumb to the cohort, then click the waterfall's first bar: the patient whose sum grew most.
    await page.locator("#crumbs").getByRole("link", { name: "demo" }).click();
    const over = page.locator('figure[data-chart="waterfall"][data-rendered="true"] .u-over');
    const box = (await over.boundingBox())!;
    const n = waterfall.patients.length;
    const grower = waterfall.patients[0].patientId;
    await over.click({ position: { x: (0.6 / (n + 0.2)) * box.width, y: box.height / 2 } });
    await page.waitForURL(`**/ui#/cohorts/demo/patients/${grower}`);
    const growerDoc = await api(`/cohorts/demo/patients/${grower}/timeline`);
    expect((await chartStats(page, "timeline")).series).toBe(growerDoc.tracks.length);
    await page.screenshot({ path: `${SHOTS}/5-patient-${grower}.png`, fullPage: true });

    // Only the first, keyless load may fail (401); nothing else.
    expect(problems.filter((p) => !p.includes("401"))).toEqual([]);
    expect(offOrigin).toEqual([]);
    await page.close();
  });

  it("says when a key is refused, and Forget removes the stored key", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${base}/ui#/cohorts/demo`);
    await page.getByLabel("API key").fill("lt_000000000000_not-a-real-secret");
    await page.getByRole("button", { name: "Use key" }).click();
    await alertSays(page, "was not accepted");
    await page.screenshot({ path: `${SHOTS}/6-key-refused.png` });
    await page.getByRole("button", { name: "Forget" }).click();
    await alertSays(page, "Enter your key");
    await expect(page.evaluate(() => localStorage.getItem("lesiontrack.apiKey"))).resolves.toBeNull();
    await expect(page.locator("#key-status").textContent()).resolves.toBe("no key");
    await context.close();
  });
});
