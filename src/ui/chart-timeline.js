// The per-patient timeline chart: track sizes, the sum with its forecast band, responses, events.
import { TRACK_COLORS, FONT, axis, colorOf, distinctSorted, mount, px } from "./chart-common.js";
import { fmtMm } from "./dom.js";

/** The sum the forecast was made on: RECIST target sum when every scan has one, else all lesions. */
export function sumSeries(doc) {
  const basis = doc.forecasts?.sumOfDiameters?.basis ?? "allLesions";
  const values = doc.studies.map((s) => (basis === "recistTargets" ? s.recist?.sum ?? null : s.sumOfDiametersMm));
  return { basis, values, label: basis === "recistTargets" ? "sum of target diameters" : "sum of all lesion diameters" };
}

export const trackColor = (i) => TRACK_COLORS[i % TRACK_COLORS.length];
const responseLabel = (s, i) => (i === 0 ? "BL" : s.recist?.overallResponse ?? "");

export function timelineChart(el, doc) {
  const studies = doc.studies;
  const studyTime = new Map(studies.map((s) => [s.studyKey, s.timeDays]));
  const sum = sumSeries(doc);
  const fc = doc.forecasts?.sumOfDiameters?.forecasts ?? [];
  const times = distinctSorted([...studies.map((s) => s.timeDays), ...fc.map((f) => f.timeDays)]);
  const at = new Map(times.map((t, i) => [t, i]));
  const col = () => new Array(times.length).fill(null);
  let points = 0;

  const trackCols = doc.tracks.map((t) => {
    const ys = col();
    for (const o of t.observations) {
      const tt = studyTime.get(o.studyKey);
      if (tt === undefined) continue;
      ys[at.get(tt)] = o.diameterMm;
      points++;
    }
    return ys;
  });
  const sumCol = col();
  studies.forEach((s, i) => (sumCol[at.get(s.timeDays)] = sum.values[i]));
  const lastStudy = studies.at(-1);
  const lastSum = sum.values.at(-1);
  const [pred, q10, q90] = [col(), col(), col()];
  if (fc.length > 0 && lastStudy && lastSum !== null && lastSum !== undefined) {
    const j = at.get(lastStudy.timeDays);
    pred[j] = q10[j] = q90[j] = lastSum;
    for (const f of fc) {
      const k = at.get(f.timeDays);
      pred[k] = f.predMm;
      q10[k] = f.q10Mm;
      q90[k] = f.q90Mm;
    }
  }
  const markers = eventMarkers(doc, studyTime);

  const drawOverlay = (u) => {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.font = `bold ${FONT.replace("12px", `${px(11)}px`)}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    studies.forEach((s, i) => {
      const x = u.valToPos(s.timeDays, "x", true);
      ctx.fillStyle = i === 0 ? "#3c4043" : colorOf(s.recist?.overallResponse);
      ctx.fillText(responseLabel(s, i), x, bbox.top - px(6));
    });
    for (const m of markers) {
      const x = u.valToPos(m.timeDays, "x", true);
      const y = u.valToPos(m.sizeMm, "mm", true);
      ctx.strokeStyle = ctx.fillStyle = trackColor(m.trackIndex);
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

  const sumIdx = doc.tracks.length + 1;
  const u = mount(
    el,
    {
      height: 400,
      padding: [24, 8, 0, 0],
      scales: { x: { time: false }, mm: { range: (u, min, max) => [0, Math.max(10, max) * 1.1] }, sum: { range: (u, min, max) => [0, Math.max(10, max) * 1.1] } },
      axes: [
        axis({ label: `days since first study${doc.timeAxis === "date" ? "" : ` (time from ${doc.timeAxis})`}` }),
        axis({ scale: "mm", label: "lesion diameter (mm)", size: 56 }),
        axis({ scale: "sum", side: 1, label: "sum of diameters (mm)", size: 64, grid: { show: false } }),
      ],
      series: [
        { label: "day", value: (u, v) => (v === null ? "–" : `day ${v}`) },
        ...doc.tracks.map((t, i) => ({ label: `${t.label} ${t.organ ?? t.lesionType ?? ""}`.trim(), scale: "mm", stroke: trackColor(i), width: 1.6, points: { size: 6, fill: trackColor(i) }, value: (u, v) => fmtMm(v) })),
        { label: sum.label, scale: "sum", stroke: "#202124", width: 3, points: { size: 7, fill: "#202124" }, spanGaps: true, value: (u, v) => fmtMm(v) },
        { label: "forecast of the sum", scale: "sum", stroke: "#202124", width: 2, dash: [8, 5], spanGaps: true, points: { size: 6, fill: "#ffffff" }, value: (u, v) => fmtMm(v) },
        { label: "80 % interval, upper", scale: "sum", stroke: "#9aa0a6", width: 1, spanGaps: true, points: { show: false }, value: (u, v) => fmtMm(v) },
        { label: "80 % interval, lower", scale: "sum", stroke: "#9aa0a6", width: 1, spanGaps: true, points: { show: false }, value: (u, v) => fmtMm(v) },
      ],
      bands: [{ series: [sumIdx + 2, sumIdx + 3], fill: "rgba(32, 33, 36, 0.12)" }],
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      hooks: { draw: [drawOverlay] },
    },
    [times, ...trackCols, sumCol, pred, q90, q10],
    { series: doc.tracks.length + 1, points: points + sum.values.filter((v) => v !== null).length },
  );
  const figure = el.closest("figure");
  if (figure) {
    figure.dataset.markers = String(markers.length);
    figure.dataset.forecasts = String(fc.length);
  }
  return u;
}

/** New / vanished / reappeared markers: where on the chart each event of a track goes. */
export function eventMarkers(doc, studyTime) {
  const trackIndex = new Map(doc.tracks.map((t, i) => [t.trackId, i]));
  const obsSize = new Map(doc.tracks.flatMap((t) => t.observations.map((o) => [o.observationId, o.diameterMm])));
  const out = [];
  for (const e of doc.events ?? []) {
    if (!["new", "vanished", "reappeared"].includes(e.type)) continue;
    const i = trackIndex.get(e.trackIds[0]);
    const size = obsSize.get(e.observationIds[0]);
    const t = studyTime.get(e.studyKey);
    if (i === undefined || size === undefined || t === undefined) continue;
    out.push({ type: e.type, trackIndex: i, timeDays: t, sizeMm: size, studyKey: e.studyKey, trackId: e.trackIds[0] });
  }
  return out;
}
