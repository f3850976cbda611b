// The per-patient charts: lesion tracks in one panel; the sum (or, with partial annotations,
// the tracked lesions' % change) with its forecast in a second panel below, on the same x axis.
import { TRACK_COLORS, FONT, axis, colorOf, distinctSorted, mount, px } from "./chart-common.js";
import { fmtMm, fmtPct } from "./dom.js";
import { placeLabels } from "./time-axis.js";

/** The sum the forecast was made on: RECIST target sum when every scan has one, else all lesions. */
export function sumSeries(doc) {
  const basis = doc.forecasts?.sumOfDiameters?.basis ?? "allLesions";
  const values = doc.studies.map((s) => (basis === "recistTargets" ? s.recist?.sum ?? null : s.sumOfDiametersMm));
  return { basis, values, label: basis === "recistTargets" ? "sum of target diameters" : "sum of all lesion diameters" };
}

export const trackColor = (i) => TRACK_COLORS[i % TRACK_COLORS.length];

/** Line style by RECIST role: target solid, non-target dashed, new dotted (colour alone is not enough). */
export const ROLE_STYLE = {
  target: { dash: [], width: 2.4, name: "target lesion", css: "" },
  "non-target": { dash: [7, 4], width: 1.8, name: "non-target lesion", css: "dashed" },
  new: { dash: [2, 3], width: 1.8, name: "new or not designated", css: "dotted" },
};
export const roleStyle = (t) => ROLE_STYLE[t.recistRole] ?? ROLE_STYLE.new;

/** The classical fits the API computes beside the model, with a line on what each assumes. */
export const CLASSICAL_FITS = [
  ["locf", "last value carried forward", "no change from the last scan"],
  ["exponential", "exponential", "grows or shrinks by a constant percentage per day"],
  ["logistic", "logistic", "S-shaped growth that levels off at a plateau size"],
  ["gompertz", "Gompertz", "growth that slows as the lesion gets larger"],
  ["classicalBertalanffy", "Bertalanffy", "growth limited by surface versus volume (exponent 2/3)"],
  ["generalBertalanffy", "general Bertalanffy", "as Bertalanffy, with the exponent fitted"],
  ["steinFojo", "Stein-Fojo", "a shrinking part plus a regrowing part (treatment response then resistance)"],
];
const FIT_COLORS = ["#5f6368", "#0072b2", "#009e73", "#d55e00", "#cc79a7", "#8a6d00", "#6a4c93"];

const xAxis = (ax) => axis({ label: ax.label, ...(ax.splits ? { splits: (u) => ax.splits(u.scales.x.min, u.scales.x.max) } : {}), values: (u, splits) => splits.map((v) => ax.tick(Math.round(v * 10) / 10)) });
const small = () => `${FONT.replace("12px", `${px(11)}px`)}`;

/** Lesion diameters per track over time; markers for new / vanished / reappeared; each line labelled at its end. */
export function lesionChart(el, doc, ax, syncKey) {
  const studies = doc.studies;
  const xOf = new Map(studies.map((s, i) => [s.studyKey, ax.xs[i]]));
  const times = distinctSorted(ax.xs);
  const at = new Map(times.map((t, i) => [t, i]));
  let points = 0;
  const cols = doc.tracks.map((t) => {
    const ys = new Array(times.length).fill(null);
    for (const o of t.observations) {
      const x = xOf.get(o.studyKey);
      if (x === undefined) continue;
      ys[at.get(x)] = o.diameterMm;
      points++;
    }
    return ys;
  });
  const markers = eventMarkers(doc, xOf);
  const draw = (u) => {
    const { ctx } = u;
    ctx.save();
    ctx.font = `bold ${small()}`;
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    // End labels at the same x are pushed apart vertically so that none covers another.
    const ends = doc.tracks
      .map((t, i) => ({ t, i, last: t.observations.at(-1) }))
      .filter((e) => e.last && xOf.has(e.last.studyKey))
      .map((e) => ({ ...e, x: u.valToPos(xOf.get(e.last.studyKey), "x", true) + px(7), y: u.valToPos(e.last.diameterMm, "mm", true) }))
      .sort((a, b) => a.x - b.x || a.y - b.y);
    for (const [k, e] of ends.entries()) {
      const above = ends.slice(0, k).filter((o) => Math.abs(o.x - e.x) < px(30));
      for (const o of above) if (e.y < o.y + px(12)) e.y = o.y + px(12);
      ctx.fillStyle = trackColor(e.i);
      ctx.fillText(e.t.label, e.x, e.y);
    }
    // A lesion the engine was told is not evaluated at a scan: "NE" in its colour at the plot's foot.
    ctx.textAlign = "center";
    const stacked = new Map();
    doc.tracks.forEach((t, i) => {
      for (const [key, status] of Object.entries(t.recistStatus ?? {})) {
        if (status !== "not_evaluated" || !xOf.has(key)) continue;
        const n = stacked.get(key) ?? 0;
        stacked.set(key, n + 1);
        ctx.fillStyle = trackColor(i);
        ctx.fillText(`NE ${t.label}`, u.valToPos(xOf.get(key), "x", true), u.bbox.top + u.bbox.height - px(8) - n * px(12));
      }
    });
    for (const m of markers) {
      const x = u.valToPos(m.x, "x", true);
      const y = u.valToPos(m.sizeMm, "mm", true);
      ctx.strokeStyle = trackColor(m.trackIndex);
      ctx.lineWidth = px(2);
      ctx.beginPath();
      const r = px(7);
      if (m.type === "new") {
        ctx.moveTo(x, y - r - px(4));
        ctx.lineTo(x - r, y + r - px(4));
        ctx.lineTo(x + r, y + r - px(4));
        ctx.closePath();
      } else if (m.type === "vanished") {
        ctx.moveTo(x - r, y - r);
        ctx.lineTo(x + r, y + r);
        ctx.moveTo(x + r, y - r);
        ctx.lineTo(x - r, y + r);
      } else ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.restore();
  };
  const u = mount(
    el,
    {
      height: 300,
      padding: [12, 40, 0, 0],
      scales: { x: { time: false, range: (u, min, max) => [Math.min(0, min), Math.max(max, 1) * 1.02] }, mm: { range: (u, min, max) => [0, Math.max(10, max) * 1.1] } },
      axes: [xAxis(ax), axis({ scale: "mm", label: "lesion diameter (mm)", size: 64 })],
      series: [{ label: "x" }, ...doc.tracks.map((t, i) => ({ label: t.label, scale: "mm", stroke: trackColor(i), width: roleStyle(t).width, dash: roleStyle(t).dash, spanGaps: true, points: { size: 7, fill: trackColor(i) } }))],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, sync: { key: syncKey } },
      hooks: { draw: [draw] },
    },
    [times, ...cols],
    { series: doc.tracks.length, points },
  );
  (el.closest("figure") ?? el).dataset.markers = String(markers.length);
  return u;
}

/**
 * The sum of diameters with the model's forecast (median, dashed; 80 % band, grey) and the
 * classical fits (hidden until asked for). With partial annotations: the tracked lesions' %
 * change instead, and no forecast. Response labels go above, in rows that never overlap.
 */
export function sumChart(el, doc, ax, syncKey, labelOf) {
  const partial = doc.annotations?.mode === "partial";
  const studies = doc.studies;
  const sum = sumSeries(doc);
  const values = partial ? studies.map((s, i) => (i === 0 ? 0 : s.trackedLesionsPctChange)) : sum.values;
  const fc = partial ? [] : doc.forecasts?.sumOfDiameters?.forecasts ?? [];
  const lastX = ax.xs.at(-1) ?? 0;
  const fcX = fc.map((f) => lastX + f.horizonDays);
  const times = distinctSorted([...ax.xs, ...fcX]);
  const at = new Map(times.map((t, i) => [t, i]));
  const col = () => new Array(times.length).fill(null);
  const sumCol = col();
  studies.forEach((s, i) => (sumCol[at.get(ax.xs[i])] = values[i]));
  const fits = CLASSICAL_FITS.filter(([k]) => fc.some((f) => typeof f.baselines?.[k] === "number"));
  const [pred, q10, q90] = [col(), col(), col()];
  const fitCols = fits.map(() => col());
  const lastSum = values.at(-1);
  if (fc.length > 0 && lastSum !== null && lastSum !== undefined) {
    const j = at.get(lastX);
    pred[j] = q10[j] = q90[j] = lastSum;
    fitCols.forEach((c) => (c[j] = lastSum));
    fc.forEach((f, n) => {
      const k = at.get(fcX[n]);
      pred[k] = f.predMm;
      q10[k] = f.q10Mm;
      q90[k] = f.q90Mm;
      fits.forEach(([key], m) => (fitCols[m][k] = f.baselines?.[key] ?? null));
    });
  }
  const labels = studies.map((s, i) => ({ x: ax.xs[i], text: labelOf(s, i), color: i === 0 ? "#3c4043" : colorOf(s.recist?.iOverallResponse ?? s.recist?.overallResponse) })).filter((l) => l.text);
  const ROW = 15;
  const drawLabels = (u) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.font = `bold ${small()}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    const placed = placeLabels(labels.map((l) => ({ ...l, x: u.valToPos(l.x, "x", true) })), (t) => ctx.measureText(t).width, { rows: 3, gap: px(4) });
    for (const p of placed) {
      ctx.fillStyle = p.color;
      ctx.fillText(p.text, p.x, bbox.top - px(4) - p.row * px(ROW));
    }
    el.labelBoxes = placed.map((p) => ({ text: p.text, left: p.left, width: p.width, row: p.row }));
    (el.closest("figure") ?? el).dataset.labels = String(placed.length);
    ctx.restore();
  };
  const fmt = partial ? fmtPct : fmtMm;
  const u = mount(
    el,
    {
      height: 280,
      padding: [3 * ROW + 10, 40, 0, 0],
      scales: {
        x: { time: false, range: (u, min, max) => [Math.min(0, min), Math.max(max, 1) * 1.02] },
        y: { range: partial ? (u, min, max) => [Math.min(-50, min) - 5, Math.max(50, max) + 5] : (u, min, max) => [0, Math.max(10, max) * 1.1] },
      },
      axes: [xAxis(ax), axis({ label: partial ? "% change of tracked lesions" : `${sum.label} (mm)`, size: 64, values: (u, s) => s.map((v) => (partial ? `${v} %` : `${v}`)) })],
      series: [
        { label: "x" },
        { label: partial ? "% change of tracked lesions" : sum.label, stroke: "#202124", width: 3, points: { size: 7, fill: "#202124" }, spanGaps: true, value: (u, v) => fmt(v) },
        { label: "model forecast (median)", stroke: "#202124", width: 2, dash: [8, 5], spanGaps: true, points: { size: 6, fill: "#ffffff" } },
        { label: "80 % interval, upper", stroke: "#9aa0a6", width: 1, spanGaps: true, points: { show: false } },
        { label: "80 % interval, lower", stroke: "#9aa0a6", width: 1, spanGaps: true, points: { show: false } },
        ...fits.map(([, name], m) => ({ label: name, stroke: FIT_COLORS[m % FIT_COLORS.length], width: 1.5, dash: [3, 3], spanGaps: true, show: false, points: { size: 5, fill: FIT_COLORS[m % FIT_COLORS.length] } })),
      ],
      bands: [{ series: [3, 4], fill: "rgba(32, 33, 36, 0.12)" }],
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, sync: { key: syncKey } },
      hooks: { draw: [drawLabels] },
    },
    [times, sumCol, pred, q90, q10, ...fitCols],
    { series: 1, points: values.filter((v) => v !== null && v !== undefined).length },
  );
  (el.closest("figure") ?? el).dataset.forecasts = String(fc.length);
  /** Shows or hides the classical fits (series after the band). */
  const showFits = (on) => fits.forEach((_, m) => u.setSeries(5 + m, { show: on }));
  return { u, fits: fits.map(([key, name, line], m) => ({ key, name, line, color: FIT_COLORS[m % FIT_COLORS.length] })), showFits };
}

/** New / vanished / reappeared markers: where on the chart each event of a track goes. */
export function eventMarkers(doc, xOf) {
  const trackIndex = new Map(doc.tracks.map((t, i) => [t.trackId, i]));
  const obsSize = new Map(doc.tracks.flatMap((t) => t.observations.map((o) => [o.observationId, o.diameterMm])));
  const out = [];
  for (const e of doc.events ?? []) {
    if (!["new", "vanished", "reappeared"].includes(e.type)) continue;
    const i = trackIndex.get(e.trackIds[0]);
    const size = obsSize.get(e.observationIds[0]);
    const x = xOf.get(e.studyKey);
    if (i === undefined || size === undefined || x === undefined) continue;
    out.push({ type: e.type, trackIndex: i, x, sizeMm: size, studyKey: e.studyKey, trackId: e.trackIds[0] });
  }
  return out;
}
