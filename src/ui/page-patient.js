// #/cohorts/ID/patients/PID : the patient's timeline chart, scans with responses, and tracks.
import { api, enc } from "./api.js";
import { timelineChart, sumSeries, trackColor } from "./chart-timeline.js";
import { chartFigure, labelCanvas } from "./page-cohort.js";
import { badge, fmtDays, fmtMm, fmtPct, h, table } from "./dom.js";

const pct = (x) => `${Math.round(x * 100)} %`;
const whenOf = (s) => s.date ?? (s.ageYears !== null ? `age ${s.ageYears}` : s.orderIndex !== null ? `#${s.orderIndex}` : `day ${s.dayOffset}`);

function eventText(e, labels) {
  const names = e.trackIds.map((id) => labels.get(id) ?? id).join(", ");
  return `${e.type} ${names}`;
}

function linksOf(track, studyOf) {
  const items = track.observations.filter((o) => o.link).map((o) => {
    const l = o.link;
    return h("li", {}, `${studyOf.get(l.fromObservationId) ?? "?"} → ${o.studyKey}: `, h("span", { class: l.confidence < 0.5 ? "conf-low" : null }, pct(l.confidence)), ` ${l.source === "person" ? "confirmed by a person" : "matcher"}, cost ${l.cost.toFixed(2)}`);
  });
  return items.length ? h("ul", { class: "links" }, items) : "first seen only";
}

export async function patientPage({ cohortId, patientId }) {
  const doc = await api(`/cohorts/${enc(cohortId)}/patients/${enc(patientId)}/timeline`);
  const result = doc.recist?.result ?? {};
  const bor = result.bestOverallResponse;
  const labels = new Map(doc.tracks.map((t) => [t.trackId, t.label]));
  const studyOf = new Map(doc.tracks.flatMap((t) => t.observations.map((o) => [o.observationId, o.studyKey])));
  const sum = sumSeries(doc);
  const sumFc = doc.forecasts?.sumOfDiameters?.forecasts ?? [];
  const model = doc.forecasts?.model;

  const fig = chartFigure("timeline", "Timeline", `Each lesion track's diameter (left axis) and the ${sum.label} (right axis, black) with its forecast (dashed) and 80 % interval (grey band). Labels above: response at each scan (BL = baseline). Markers: ▲ new lesion, ✕ not seen any more, ○ reappeared.`);
  const nodes = [
    h("h1", {}, `Patient ${doc.patient.patientId}`),
    h("ul", { class: "stats", "aria-label": "patient figures" },
      h("li", {}, "Best overall response ", badge(bor?.unconfirmed), bor && bor.confirmed !== bor.unconfirmed ? h("span", {}, " confirmed ", badge(bor.confirmed)) : null),
      h("li", {}, "Progression ", h("b", {}, result.progressionDate ?? "none")),
      h("li", {}, h("b", {}, String(doc.studies.length)), " scans, ", h("b", {}, String(doc.tracks.length)), " tracks"),
      h("li", {}, `Sex ${doc.patient.sex ?? "–"}, born ${doc.patient.birthYear ?? "–"}`),
      h("li", {}, `Forecast: ${model ? `${model.kind} ${model.version}` : "none"}`)),
    result.validationErrors?.length ? h("p", { class: "notice" }, `RECIST could not be assessed: ${result.validationErrors.map((v) => v.code).join(", ")}.`) : null,
    fig.fig,
    table("Scans", [
      { label: "Study", cell: (s) => s.studyKey },
      { label: "When", cell: whenOf },
      { label: "Day", num: true, cell: (s) => String(s.timeDays) },
      { label: "Lesions", num: true, cell: (s) => String(s.lesionCount) },
      { label: "Sum, all lesions", num: true, cell: (s) => fmtMm(s.sumOfDiametersMm) },
      { label: "Target sum", num: true, cell: (s) => fmtMm(s.recist?.sum) },
      { label: "Change from baseline", num: true, cell: (s) => (s.recist?.role === "follow-up" ? fmtPct(s.recist.pctChangeFromBaseline) : "baseline") },
      { label: "Response", cell: (s) => (s.recist?.role === "follow-up" ? badge(s.recist.overallResponse) : "–") },
      { label: "Events", cell: (s) => s.events.map((e) => eventText(e, labels)).join("; ") || "–" },
    ], doc.studies, { id: "studies" }),
    sumFc.length ? table(`Forecast of the ${sum.label}`, [
      { label: "Horizon", cell: (f) => `+${f.horizonDays} days (${fmtDays(f.timeDays)})` },
      { label: "Predicted", num: true, cell: (f) => fmtMm(f.predMm) },
      { label: "80 % interval", num: true, cell: (f) => `${fmtMm(f.q10Mm)} – ${fmtMm(f.q90Mm)}` },
      { label: "P(progression)", num: true, cell: (f) => pct(f.pProgression) },
      { label: "Method", cell: (f) => `${f.method}${f.note ? ` (${f.note})` : ""}` },
    ], sumFc, { id: "forecast" }) : null,
    table("Tracks (one physical lesion across scans) with the links that joined them", [
      { label: "Track", cell: (t) => h("span", {}, h("span", { class: "swatch", "data-color": trackColor(doc.tracks.indexOf(t)) }), t.label) },
      { label: "Organ / type", cell: (t) => [t.organ, t.lesionType].filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).join(" / ") || "–" },
      { label: "Node", cell: (t) => (t.nodal ? "yes" : "no") },
      { label: "RECIST role", cell: (t) => t.recistRole },
      { label: "Seen in", num: true, cell: (t) => `${t.observations.length} of ${doc.studies.length}` },
      { label: "First → last", num: true, cell: (t) => `${fmtMm(t.observations[0]?.diameterMm)} → ${fmtMm(t.observations.at(-1)?.diameterMm)}` },
      { label: "Links (confidence, by)", cell: (t) => linksOf(t, studyOf) },
      { label: "Next forecast", num: true, cell: (t) => (t.forecasts[0] ? `${fmtMm(t.forecasts[0].predMm)} (${fmtMm(t.forecasts[0].q10Mm)} – ${fmtMm(t.forecasts[0].q90Mm)})` : "–") },
    ], doc.tracks, { id: "tracks" }),
  ];
  const mount = () => {
    for (const s of document.querySelectorAll(".swatch[data-color]")) s.style.background = s.dataset.color;
    if (doc.studies.length === 0) return fig.plot.replaceChildren(h("p", { class: "notice" }, "No scans yet."));
    labelCanvas(timelineChart(fig.plot, doc), `Timeline of ${doc.tracks.length} lesion tracks over ${doc.studies.length} scans`);
  };
  return { title: `Patient ${doc.patient.patientId}`, nodes, mount };
}
