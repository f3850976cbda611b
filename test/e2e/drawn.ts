import type { Page } from "playwright-core";

/** A value the page should have drawn: at (x, y) on the plot's scales, a pixel of this colour nearby. */
export interface Probe {
  /** CSS selector of the plot element (the page keeps its uPlot instance on it as `.uplot`). */
  plot: string;
  x: number;
  y: number;
  scale: string;
  color: string;
  what: string;
  /** Search radius in canvas pixels (default 3). */
  radius?: number;
  /** Colours that may lie on top at that spot (another series drawn later through the same pixel). */
  alt?: string[];
}

/**
 * The probes whose value is not where uPlot's own scales put it, read from the canvas pixels
 * (so a flipped sign, a flattened line, a dropped series or a wrong scale shows up here).
 */
export function missingPixels(page: Page, probes: Probe[]): Promise<string[]> {
  return page.evaluate((probes) => {
    const out: string[] = [];
    const images = new Map<string, ImageData>();
    for (const p of probes) {
      const u = (document.querySelector(p.plot) as any)?.uplot;
      if (!u) {
        out.push(`${p.what}: no chart ${p.plot}`);
        continue;
      }
      let img = images.get(p.plot);
      if (!img) images.set(p.plot, (img = u.ctx.getImageData(0, 0, u.ctx.canvas.width, u.ctx.canvas.height) as ImageData));
      const cx = Math.round(u.valToPos(p.x, "x", true));
      const cy = Math.round(u.valToPos(p.y, p.scale, true));
      const { left, top, width, height } = u.bbox;
      if (!(cx >= left - 1 && cx <= left + width + 1 && cy >= top - 1 && cy <= top + height + 1)) {
        out.push(`${p.what}: (${p.x}, ${p.y}) lies outside the plot`);
        continue;
      }
      const rgbs = [p.color, ...(p.alt ?? [])].map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
      const r = p.radius ?? 3;
      let found = false;
      for (let dy = -r; dy <= r && !found; dy++) {
        for (let dx = -r; dx <= r && !found; dx++) {
          const i = ((cy + dy) * img.width + (cx + dx)) * 4;
          const d = img.data;
          if (d[i + 3]! > 150 && rgbs.some((rgb) => Math.abs(d[i]! - rgb[0]!) + Math.abs(d[i + 1]! - rgb[1]!) + Math.abs(d[i + 2]! - rgb[2]!) <= 60)) found = true;
        }
      }
      if (!found) out.push(`${p.what}: no ${p.color} pixel near (${cx}, ${cy}) for (${p.x}, ${p.y})`);
    }
    return out;
  }, probes);
}

/** What a plot's uPlot instance holds: its data columns and series (label, shown, dash, colour). */
export function uplotState(page: Page, plot: string) {
  return page.evaluate((plot) => {
    const u = (document.querySelector(plot) as any).uplot;
    return {
      data: u.data as (number | null)[][],
      series: (u.series as any[]).map((s, i) => ({ label: String(s.label), show: s.show as boolean, dash: (s.dash ?? null) as number[] | null, stroke: typeof s.stroke === "function" ? String(s.stroke(u, i)) : String(s.stroke) })),
      axisLabels: (u.axes as any[]).map((a) => String(a.label ?? "")),
    };
  }, plot);
}

/** The page's own response and track colours (chart-common.js), so expected pixels use the palette it draws with. */
export function pageColours(page: Page): Promise<{ response: Record<string, string>; tracks: string[] }> {
  // A string, so the test runner does not rewrite the page's dynamic import.
  return page.evaluate(`import("/ui/chart-common.js").then((m) => ({ response: m.RESPONSE_COLORS, tracks: m.TRACK_COLORS }))`);
}

/** Where the page puts each study on the x axis: its day, or for whole-year ages spread by order within the year. */
export function studyXs(doc: any): number[] {
  const xs = doc.studies.map((s: any) => s.timeDays as number);
  if (doc.timeAxis !== "age") return xs;
  const groups = new Map<number, number[]>();
  doc.studies.forEach((s: any, i: number) => groups.set(s.timeDays, [...(groups.get(s.timeDays) ?? []), i]));
  for (const [t, members] of groups) members.forEach((i, k) => (xs[i] = t + (k * 365.25) / members.length));
  return xs;
}
