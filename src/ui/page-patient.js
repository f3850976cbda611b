// #/cohorts/ID/patients/PID : lesion tracks and the sum in two panels, one legend, the forecast
// with its classical fits on request, scans (change from baseline and nadir) and tracks.
import { api, enc } from "./api.js";
import { ROLE_STYLE, lesionChart, roleStyle, sumChart, sumSeries, trackColor } from "./chart-timeline.js";
import { chartFigure, labelCanvas } from "./page-cohort.js";
import { badge, fmtMm, fmtPct, h, table } from "./dom.js";
import { studyAxis, whenOf } from "./time-axis.js";

const pct = (x) => `${Math.round(x * 100)} %`;
/** The response a study reports: the iRECIST label in an iRECIST cohort, else the RECIST 1.1 one. */
export const responseOf = (s) => s.recist?.iOverallResponse ?? s.recist?.overallResponse ?? null;

/** The forecaster in words, not its internal id. */
export function forecasterWords(model) {
  if (!model) return "none";
  if (model.kind === "onnx") return `growth model trained on lesion size histories (version ${String(model.version).replace(/^growth-q-/, "").slice(0, 8)})`;
  return "fallback: the last size with a typical spread (no trained model loaded)";
}

const STATUS_WORDS = { not_evaluated: "not evaluated (NE)", tstm: "too small to measure", disappeared: "disappeared", merged: "merged", absent: "absent", unequivocal_progression: "unequivocal progression", equivocal: "equivocal new" };

/** The RECIST states of a track that are not a plain measurement, per study ("S03 not evaluated (NE)"). */
export const statusText = (t) =>
  Object.entries(t.recistStatus ?? {})
    .filter(([, v]) => STATUS_WORDS[v])
    .map(([k, v]) => `${k} ${STATUS_WORDS[v]}`)
    .join("; ");

function eventText(e, labels) {
  return `${e.type} ${e.trackIds.map((id) => labels.get(id) ?? id).join(", ")}`;
}

function linksOf(track, studyOf) {
  const items = track.observations.filter((o) => o.link).map((o) => {
    const l = o.link;
    return h("li", {}, `${studyOf.get(l.fromObservationId) ?? "?"} → ${o.studyKey}: `, h("span", { class: l.confidence < 0.5 ? "conf-low" : null }, pct(l.confidence)), ` ${l.source === "person" ? "confirmed by a person" : "matcher"}, cost ${l.cost.toFixed(2)}${typeof l.margin === "number" ? `, margin ${l.margin.toFixed(2)}` : ""}`);
  });
  return items.length ? h("ul", { class: "links" }, items) : "first seen only";
}

/** Every warning the timeline carries, wherever it carries one, as text. */
function warningsOf(doc, whenOfDate) {
  const out = [];
  const text = (w) => (typeof w === "string" ? w : [w.code ?? w.type ?? "warning", w.message ?? w.detail, w.studyKey ? `scan ${w.studyKey}` : null, w.date ? whenOfDate(w.date) : null].filter(Boolean).join(" · "));
  for (const w of doc.recist?.result?.warnings ?? []) out.push(text(w));
  for (const w of doc.recist?.inputWarnings ?? []) out.push(text(w));
  for (const w of doc.warnings ?? []) out.push(text(w));
  for (const s of doc.studies) for (const w of s.warnings ?? []) out.push(`${s.studyKey}: ${text(w)}`);
  return out;
}

export async function patientPage({ cohortId, patientId }) {
  const doc = await api(`/cohorts/${enc(cohortId)}/patients/${enc(patientId)}/timeline`);
  const partial = doc.annotations?.mode === "partial";
  const result = doc.recist?.result ?? {};
  const irecist = result.irecist ?? null;
  const bor = irecist?.bestOverallResponse ?? result.bestOverallResponse;
  const labels = new Map(doc.tracks.map((t) => [t.trackId, t.label]));
  const studyOf = new Map(doc.tracks.flatMap((t) => t.observations.map((o) => [o.observationId, o.studyKey])));
  const ax = studyAxis(doc);
  // RECIST needs dates; for ages and orders they are made up, so a date names its scan instead.
  const whenOfDate = (d) => {
    const i = doc.studies.findIndex((s) => s.recistDate === d);
    return i < 0 ? (doc.recist?.syntheticDates ? "a scan" : d) : whenOf(doc.studies[i], i);
  };
  const progressionDate = irecist ? irecist.progressionDate ?? null : result.progressionDate ?? null;
  const lastResponse = responseOf(doc.studies.at(-1) ?? {});
  const progressed = progressionDate !== null || ["PD", "iUPD", "iCPD"].includes(lastResponse);
  const sum = sumSeries(doc);
  const sumFc = partial ? [] : doc.forecasts?.sumOfDiameters?.forecasts ?? [];
  const model = doc.forecasts?.model;
  const warnings = warningsOf(doc, whenOfDate);

  const roles = [...new Set(doc.tracks.map((t) => t.recistRole))];
  const legend = h("ul", { class: "legend", id: "timeline-legend", "aria-label": "legend of both panels" },
    doc.tracks.map((t, i) => h("li", { "data-track": t.trackId }, h("span", { class: `line-key ${roleStyle(t).css}`, "data-color": trackColor(i) }), `${t.label} ${t.organ ?? t.lesionType ?? ""}`.trim())),
    roles.map((r) => h("li", {}, h("span", { class: `line-key ${(ROLE_STYLE[r] ?? ROLE_STYLE.new).css}`, "data-color": "#3c4043" }), (ROLE_STYLE[r] ?? ROLE_STYLE.new).name)),
    h("li", {}, "▲ new lesion"), h("li", {}, "✕ not seen any more"), h("li", {}, "○ reappeared"));
  const lesions = chartFigure("timeline", "Lesions", `Each lesion track's diameter over ${ax.kind === "age" ? "the patient's age" : "time"}: target lesions solid, non-target dashed, new or undesignated dotted; each line is labelled at its last scan.`, { legend });
  const sumTitle = partial ? "Size change of tracked lesions" : `The ${sum.label}`;
  const sumDesc = partial
    ? "Partial annotations: only some lesions are marked in each study, so a lesion may look new or gone because it was not annotated. Shown instead of RECIST responses: the % change of the lesions measured in a scan against the same lesions when first measured."
    : `The ${sum.label} at each scan (black), the model's forecast median (dashed) with its 80 % interval (grey band). Labels above: response at each scan (BL = baseline).`;
  const fitsToggle = h("input", { type: "checkbox", id: "show-fits" });
  const sumFig = chartFigure("sum", sumTitle, sumDesc, {
    legend: partial ? null : h("ul", { class: "legend", id: "sum-legend" },
      h("li", {}, h("span", { class: "line-key", "data-color": "#202124" }), sum.label),
      sumFc.length ? h("li", {}, h("span", { class: "line-key dashed", "data-color": "#202124" }), "model forecast, median") : null,
      sumFc.length ? h("li", {}, h("span", { class: "swatch", "data-color": "#d4d5d7" }), "80 % interval") : null,
      sumFc.length ? h("li", {}, h("label", {}, fitsToggle, " show the classical fits")) : null),
  });
  const fitsBox = h("div", { id: "fits", hidden: true });

  const stats = h("ul", { class: "stats", "aria-label": "patient figures" },
    partial
      ? h("li", {}, "Last tracked change ", h("b", {}, fmtPct([...doc.studies].reverse().find((s) => s.trackedLesionsPctChange !== null)?.trackedLesionsPctChange)))
      : h("li", {}, `Best overall response${irecist ? " (iRECIST)" : ""} `, badge(bor?.unconfirmed), bor && bor.confirmed !== bor.unconfirmed ? h("span", {}, " confirmed ", badge(bor.confirmed)) : null),
    partial ? null : h("li", {}, irecist ? "Confirmed progression (iCPD) " : "Progression ", h("b", {}, progressionDate ? whenOfDate(progressionDate) : "none")),
    h("li", {}, h("b", {}, String(doc.studies.length)), " scans, ", h("b", {}, String(doc.tracks.length)), " tracks"),
    h("li", {}, `Sex ${doc.patient.sex ?? "–"}, born ${doc.patient.birthYear ?? "–"}`),
    h("li", {}, `Forecast: ${forecasterWords(model)}`));

  const scanColumns = partial
    ? [
        { label: "Study", cell: (s) => s.studyKey },
        { label: "When", cell: (s) => whenOf(s, doc.studies.indexOf(s)) },
        { label: "Lesions annotated", num: true, cell: (s) => String(s.lesionCount) },
        { label: "Sum of annotated lesions", num: true, cell: (s) => fmtMm(s.sumOfDiametersMm) },
        { label: "Change of tracked lesions", num: true, cell: (s) => (doc.studies.indexOf(s) === 0 ? "first scan" : fmtPct(s.trackedLesionsPctChange)) },
        { label: "Events", cell: (s) => s.events.map((e) => eventText(e, labels)).join("; ") || "–" },
      ]
    : [
        { label: "Study", cell: (s) => s.studyKey },
        { label: "When", cell: (s) => whenOf(s, doc.studies.indexOf(s)) },
        { label: "Lesions", num: true, cell: (s) => String(s.lesionCount) },
        { label: "Sum, all lesions", num: true, cell: (s) => fmtMm(s.sumOfDiametersMm) },
        { label: "Target sum", num: true, cell: (s) => fmtMm(s.recist?.sum) },
        { label: "Change from baseline", num: true, cell: (s) => (s.recist?.role === "follow-up" ? fmtPct(s.recist.pctChangeFromBaseline) : "baseline") },
        { label: "Change from nadir", num: true, cell: (s) => (s.recist?.role === "follow-up" ? fmtPct(s.recist.pctChangeFromNadir) : "–") },
        { label: irecist ? "Response (iRECIST)" : "Response", cell: (s) => (s.recist?.role === "follow-up" ? badge(responseOf(s)) : "–") },
        { label: "Events", cell: (s) => s.events.map((e) => eventText(e, labels)).join("; ") || "–" },
      ];

  const pDefinition = progressed
    ? `P(progression at that scan) is not shown: progression was already found (${progressionDate ? whenOfDate(progressionDate) : `last response ${lastResponse}`})${irecist ? "; under iRECIST the next scan confirms it (iCPD) or not" : "; RECIST 1.1 assessment ends at progression"}.`
    : "P(progression at that scan): the model's probability that the sum at that scan is at least 20 % and 5 mm above its smallest value so far (the nadir): the RECIST 1.1 rule for progression.";
  const forecastTable = sumFc.length
    ? [
        table(`Forecast of the ${sum.label}`, [
          { label: "When", cell: (f) => `${f.horizonDays} days after the last scan` },
          { label: "Model median", num: true, cell: (f) => fmtMm(f.predMm) },
          { label: "80 % interval", num: true, cell: (f) => `${fmtMm(f.q10Mm)} – ${fmtMm(f.q90Mm)}` },
          ...(progressed ? [] : [{ label: "P(progression at that scan)", num: true, cell: (f) => pct(f.pProgression) }]),
          { label: "By", cell: (f) => (f.method === "model" ? "trained model" : `fallback${f.note ? ` (${f.note})` : ""}`) },
        ], sumFc, { id: "forecast" }),
        h("p", { class: "explain", id: "p-progression" }, pDefinition),
        h("p", { class: "explain" }, "Median: the last size carried forward, or, when the lesion grew at each of its last two intervals, 0.4 × its last rate of growth carried forward (held-out trials: no worse than carrying the last size forward). Interval: 10–90 %, calibrated on many lesions' size histories by horizon and by the last change. The classical fits show straight continuations of this patient's own curve."),
      ]
    : [];

  const nodes = [
    h("h1", {}, `Patient ${doc.patient.patientId}`),
    stats,
    partial ? h("p", { class: "notice partial", id: "partial-note" }, h("strong", {}, `${doc.annotations.note}. `), "No RECIST response is reported for this cohort: a lesion missing from a study may simply not have been annotated.") : null,
    result.validationErrors?.length ? h("p", { class: "notice" }, `RECIST could not be assessed: ${result.validationErrors.map((v) => v.code).join(", ")}.`) : null,
    warnings.length ? h("div", { class: "notice warn", id: "warnings", role: "note" }, h("strong", {}, "Warnings: "), h("ul", {}, warnings.map((w) => h("li", {}, w)))) : null,
    lesions.fig,
    sumFig.fig,
    fitsBox,
    ...forecastTable,
    table("Scans", scanColumns, doc.studies, { id: "studies" }),
    table("Tracks (one physical lesion across scans) with the links that joined them", [
      { label: "Track", cell: (t) => h("span", {}, h("span", { class: `line-key ${roleStyle(t).css}`, "data-color": trackColor(doc.tracks.indexOf(t)) }), t.label) },
      { label: "Organ / type", cell: (t) => [t.organ, t.lesionType].filter(Boolean).filter((v, i, a) => a.indexOf(v) === i).join(" / ") || "–" },
      { label: "Node", cell: (t) => (t.nodal ? "yes" : "no") },
      { label: "RECIST role", cell: (t) => [t.recistRole, statusText(t)].filter(Boolean).join(": ") },
      { label: "Seen in", num: true, cell: (t) => `${t.observations.length} of ${doc.studies.length}` },
      { label: "First → last", num: true, cell: (t) => `${fmtMm(t.observations[0]?.diameterMm)} → ${fmtMm(t.observations.at(-1)?.diameterMm)}` },
      { label: "Links (confidence, by)", cell: (t) => linksOf(t, studyOf) },
      { label: "Next forecast", num: true, cell: (t) => (t.forecasts[0] ? `${fmtMm(t.forecasts[0].predMm)} (${fmtMm(t.forecasts[0].q10Mm)} – ${fmtMm(t.forecasts[0].q90Mm)})` : "–") },
    ], doc.tracks, { id: "tracks" }),
  ];
  const mount = () => {
    for (const s of document.querySelectorAll("[data-color]")) {
      if (s.classList.contains("line-key")) s.style.borderTopColor = s.dataset.color;
      else s.style.background = s.dataset.color;
    }
    if (doc.studies.length === 0) return lesions.plot.replaceChildren(h("p", { class: "notice" }, "No scans yet."));
    const key = `patient-${cohortId}-${patientId}`;
    labelCanvas(lesionChart(lesions.plot, doc, ax, key), `Diameters of ${doc.tracks.length} lesion tracks over ${doc.studies.length} scans`);
    const labelOf = (s, i) => (i === 0 ? "BL" : partial ? "" : responseOf(s) ?? "");
    const sc = sumChart(sumFig.plot, doc, ax, key, labelOf);
    labelCanvas(sc.u, partial ? "Percent change of tracked lesions per scan" : `The ${sum.label} per scan with its forecast`);
    if (sc.fits.length) {
      fitsBox.replaceChildren(
        h("h2", {}, "Classical fits of this patient's sums"),
        h("p", { class: "explain" }, "Curves fitted to this patient's own sums, continued to the forecast times (dotted in the chart above); they extrapolate the trend, unlike the model."),
        h("dl", { class: "explain" }, sc.fits.map((f) => h("div", {}, h("dt", {}, h("span", { class: "line-key dotted", style: null, "data-fit": f.key }), f.name), h("dd", {}, f.line)))),
        table("Classical fits at the forecast times", [
          { label: "When", cell: (f) => `${f.horizonDays} days after the last scan` },
          ...sc.fits.map((m) => ({ label: m.name, num: true, cell: (f) => fmtMm(f.baselines?.[m.key]) })),
        ], sumFc, { id: "fits-table" }),
      );
      for (const [i, f] of sc.fits.entries()) fitsBox.querySelectorAll(`[data-fit="${f.key}"]`).forEach((el) => (el.style.borderTopColor = sc.fits[i].color));
      fitsToggle.addEventListener("change", () => {
        sc.showFits(fitsToggle.checked);
        fitsBox.hidden = !fitsToggle.checked;
      });
    }
  };
  return { title: `Patient ${doc.patient.patientId}`, nodes, mount };
}
