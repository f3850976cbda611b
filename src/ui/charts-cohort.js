// The three cohort charts (waterfall, spider, swimmer) over the /v1 cohort views.
import { RESPONSE_ORDER, axis, colorOf, distinctSorted, dot, mount, px, recistLines, referenceLines, triangleDown, uPlot, FONT } from "./chart-common.js";
import { fmtPct } from "./dom.js";

/** Beyond these a chart stops being readable (and the page says what it left out). */
export const MAX_LANES = 80;
export const MAX_SPIDER = 300;
/** RECIST's -30 % / +20 % lines, except where annotations are partial (no RECIST there). */
const thresholds = (view) => (view.annotations === "partial" ? [] : [referenceLines(recistLines(view.referenceLines))]);
const YEAR = 365.25;
/** Days since baseline; for patients timed by whole-year ages only, years (their days are not real). */
const daysAxis = (view, label = "days since baseline") =>
  view.patients.length > 0 && view.patients.every((p) => p.timeAxis === "age")
    ? axis({ label: "years since the first scan (from ages in whole years)", splits: (u) => yearSplits(u.scales.x.min, u.scales.x.max), values: (u, splits) => splits.map((v) => `${Math.round(v / YEAR)}`) })
    : axis({ label, values: (u, splits) => splits.map((v) => `${v}`) });
const yearSplits = (min, max) => {
  const out = [];
  for (let y = Math.ceil(min / YEAR - 1e-9); y * YEAR <= max + 1e-9; y++) out.push(y * YEAR);
  return out;
};

/** Best % change per patient as bars (largest growth left), coloured by best overall response. */
export function waterfallChart(el, view, onPick) {
  const bars = view.patients;
  const cats = RESPONSE_ORDER.filter((c) => bars.some((b) => (b.response ?? "NE") === c));
  const xs = bars.map((_, i) => i + 1);
  const values = bars.map((b) => b.bestPctChange);
  const lo = Math.min(-100, ...values) - 5;
  const hi = Math.max(40, ...values) + 10;
  const showIds = bars.length <= 40;
  const u = mount(
    el,
    {
      height: 320,
      scales: { x: { time: false, range: [0.4, bars.length + 0.6] }, y: { range: [lo, hi] } },
      axes: [
        axis({
          label: "patients, ordered by best change",
          splits: () => (showIds ? xs : []),
          values: (u, splits) => splits.map((i) => bars[i - 1]?.patientId ?? ""),
          rotate: -60,
          size: showIds ? 70 : 30,
          grid: { show: false },
        }),
        axis({ label: view.annotations === "partial" ? "best % change of tracked lesions" : "best % change from baseline", values: (u, splits) => splits.map((v) => `${v} %`), size: 64 }),
      ],
      series: [
        { label: "patient", value: (u, i) => bars[i - 1]?.patientId ?? "–" },
        ...cats.map((c) => ({
          label: c,
          fill: colorOf(c),
          stroke: colorOf(c),
          width: 0,
          fillTo: 0,
          paths: uPlot.paths.bars({ size: [0.8, 48], align: 0 }),
          points: { show: false },
          value: (u, v) => (v === null || v === undefined ? "–" : fmtPct(v)),
        })),
      ],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      plugins: thresholds(view),
    },
    [xs, ...cats.map((c) => bars.map((b) => ((b.response ?? "NE") === c ? b.bestPctChange : null)))],
    { series: cats.length, points: bars.length },
  );
  u.over.classList.add("clickable");
  u.over.addEventListener("click", () => {
    const i = u.cursor.idx;
    if (i !== null && i !== undefined && bars[i]) onPick(bars[i].patientId);
  });
  return u;
}

/** % change from baseline per patient over time; lines coloured by best overall response. */
export function spiderChart(el, view, readout, onPick) {
  const patients = view.patients.filter((p) => p.points.some((q) => q.pctChangeFromBaseline !== null)).slice(0, MAX_SPIDER);
  const times = distinctSorted(patients.flatMap((p) => p.points.map((q) => q.timeDays)));
  const at = new Map(times.map((t, i) => [t, i]));
  const data = [times];
  let points = 0;
  for (const p of patients) {
    const ys = new Array(times.length).fill(null);
    for (const q of p.points) {
      if (q.pctChangeFromBaseline === null) continue;
      ys[at.get(q.timeDays)] = q.pctChangeFromBaseline;
      points++;
    }
    data.push(ys);
  }
  const all = data.slice(1).flat().filter((v) => v !== null);
  let focused = null;
  const u = mount(
    el,
    {
      height: 340,
      scales: { x: { time: false }, y: { range: [Math.min(-100, ...all) - 5, Math.max(40, ...all) + 10] } },
      axes: [daysAxis(view), axis({ label: view.annotations === "partial" ? "% change of tracked lesions" : "% change from baseline", values: (u, s) => s.map((v) => `${v} %`), size: 64 })],
      series: [
        { label: "day" },
        ...patients.map((p) => ({ label: p.patientId, stroke: colorOf(p.response), width: 1.6, spanGaps: true, points: { show: true, size: 5, fill: colorOf(p.response) } })),
      ],
      legend: { show: false },
      focus: { alpha: 0.2 },
      cursor: { focus: { prox: 20 }, drag: { x: false, y: false } },
      hooks: {
        setSeries: [
          (u, i) => {
            focused = i ? patients[i - 1] : null;
            readout.textContent = focused ? `${focused.patientId}: best overall response ${focused.response ?? "not evaluable"}; ${describeLast(focused)}` : "Point at a line to name the patient; click to open it.";
          },
        ],
      },
      plugins: thresholds(view),
    },
    data,
    { series: patients.length, points },
  );
  u.over.classList.add("clickable");
  u.over.addEventListener("click", () => focused && onPick(focused.patientId));
  return u;
}

function describeLast(p) {
  const last = [...p.points].reverse().find((q) => q.pctChangeFromBaseline !== null);
  return last ? `${fmtPct(last.pctChangeFromBaseline)} at day ${last.timeDays}` : "no evaluable scan";
}

/** Time on study per patient: a lane per patient, a dot per scan coloured by response, ▼ at progression. */
export function swimmerChart(el, view, onPick) {
  const lanes = view.patients.slice(0, MAX_LANES);
  const n = lanes.length;
  const laneY = (i) => n - i;
  const times = distinctSorted([0, ...lanes.flatMap((p) => p.studies.map((s) => s.timeDays))]);
  const at = new Map(times.map((t, i) => [t, i]));
  const data = [times];
  let points = 0;
  for (const [i, p] of lanes.entries()) {
    const ys = new Array(times.length).fill(null);
    for (const s of p.studies) ys[at.get(s.timeDays)] = laneY(i);
    points += p.studies.length;
    data.push(ys);
  }
  const drawMarkers = (u) => {
    const { ctx } = u;
    ctx.save();
    ctx.font = `bold ${FONT.replace("12px", `${px(11)}px`)}`;
    ctx.textBaseline = "middle";
    for (const [i, p] of lanes.entries()) {
      const y = u.valToPos(laneY(i), "y", true);
      p.studies.forEach((s, k) => {
        const x = u.valToPos(s.timeDays, "x", true);
        dot(ctx, x, y, px(5), s.response ? colorOf(s.response) : "#ffffff", s.response ? "#ffffff" : "#3c4043");
        // RECIST flags every scan while a new lesion is present: mark only where it first appears.
        if (s.newLesion && !p.studies[k - 1]?.newLesion) {
          ctx.fillStyle = "#202124";
          ctx.fillText("✱", x + px(4), y - px(9));
        }
      });
      if (p.progressionTimeDays !== null) triangleDown(ctx, u.valToPos(p.progressionTimeDays, "x", true), y - px(10), px(6), colorOf("PD"));
      const end = u.valToPos(p.timeOnStudyDays, "x", true);
      ctx.fillStyle = colorOf(p.response);
      ctx.textAlign = "left";
      ctx.fillText(view.annotations === "partial" ? "" : p.response ?? "NE", end + px(12), y);
    }
    ctx.restore();
  };
  const maxT = times.at(-1) ?? 1;
  const u = mount(
    el,
    {
      height: Math.max(200, 70 + n * 24),
      padding: [16, 40, 0, 0],
      scales: { x: { time: false, range: [0, Math.max(1, maxT * 1.04)] }, y: { range: [0.3, n + 0.7] } },
      axes: [
        daysAxis(view, "days on study"),
        axis({ label: "patient", splits: () => lanes.map((_, i) => laneY(i)), values: (u, s) => s.map((v) => lanes[n - v]?.patientId ?? ""), grid: { show: false }, size: 80 }),
      ],
      series: [{ label: "day" }, ...lanes.map((p) => ({ label: p.patientId, stroke: "#aab0b8", width: 7, spanGaps: true, points: { show: false } }))],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: false }, y: false },
      hooks: { draw: [drawMarkers] },
    },
    data,
    { series: n, points },
  );
  u.over.classList.add("clickable");
  u.over.addEventListener("click", () => {
    const v = Math.round(u.posToVal(u.cursor.top ?? -1, "y"));
    const lane = lanes[n - v];
    if (lane) onPick(lane.patientId);
  });
  return u;
}
