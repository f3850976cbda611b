// #/cohorts/ID : the cohort's waterfall, spider and swimmer charts and its patients.
import { api, enc } from "./api.js";
import { RESPONSE_NAMES, RESPONSE_ORDER, colorOf } from "./chart-common.js";
import { MAX_LANES, MAX_SPIDER, spiderChart, swimmerChart, waterfallChart } from "./charts-cohort.js";
import { badge, fmtDays, fmtPct, h, patientHref, table } from "./dom.js";
import { skillPanel } from "./chart-skill.js";
import { reviewPanel } from "./review-queue.js";

/** A chart figure: heading, description, legend, the plot, and its data as a table in <details>. */
export function chartFigure(id, title, description, { legend = null, readout = null, data = null } = {}) {
  const plot = h("div", { class: "plot", id: `${id}-plot` });
  const fig = h(
    "figure",
    { class: "chart", id, "data-chart": id, "aria-labelledby": `${id}-title`, "aria-describedby": `${id}-desc` },
    h("figcaption", {}, h("h2", { id: `${id}-title` }, title), h("p", { id: `${id}-desc` }, description)),
    legend,
    plot,
    readout,
    data ? h("details", {}, h("summary", {}, `${title}: data as a table`), data) : null,
  );
  return { fig, plot };
}

/** Label the chart canvas for assistive technology (uPlot draws on a canvas). */
export function labelCanvas(u, text) {
  u.ctx.canvas.setAttribute("role", "img");
  u.ctx.canvas.setAttribute("aria-label", text);
}

export const responseLegend = (codes) =>
  h("ul", { class: "legend", "aria-label": "colours: best overall response" }, codes.map((c) => h("li", {}, h("span", { class: "swatch", style: null, "data-color": colorOf(c) }), `${c} ${RESPONSE_NAMES[c] ?? ""}`)));

export async function cohortPage({ cohortId }) {
  const base = `/cohorts/${enc(cohortId)}`;
  const [cohort, waterfall, spider, swimmer, queue] = await Promise.all([api(base), api(`${base}/waterfall`), api(`${base}/spider`), api(`${base}/swimmer`), api(`${base}/review-queue?limit=15`)]);
  const partial = waterfall.annotations === "partial";
  const change = partial ? "percent change of the tracked lesions (those measured in a scan and before, against their first measurement)" : "percent change of the sum of diameters from baseline";
  const pick = (patientId) => (location.hash = patientHref(cohortId, patientId));
  const best = new Map(waterfall.patients.map((p) => [p.patientId, p.bestPctChange]));
  const n = swimmer.patients.length;
  const evaluable = waterfall.patients.length;
  const responders = waterfall.patients.filter((p) => ["CR", "PR", "iCR", "iPR"].includes(p.response)).length;
  const progressed = swimmer.patients.filter((p) => p.progressionTimeDays !== null).length;
  const codes = RESPONSE_ORDER.filter((c) => swimmer.patients.some((p) => (p.response ?? "NE") === c));
  const scanCodes = RESPONSE_ORDER.filter((c) => swimmer.patients.some((p) => p.studies.some((s) => s.response === c)));
  const ref = waterfall.referenceLines;
  const skill = await skillPanel(cohortId);

  const refText = partial ? "" : ` Dashed lines: ${ref.partialResponsePct} % and +${ref.progressionPct} %.`;
  const wf = chartFigure("waterfall", "Waterfall: best change per patient", `Lowest ${change} per patient, largest growth on the left; ${partial ? "no response is reported (partial annotations)" : `bar colour is the best overall response (${waterfall.responseBasis})`}.${refText} Click a bar to open the patient.`, {
    legend: partial ? null : responseLegend(codes),
    data: table("Best change per patient", [
      { label: "Patient", cell: (p) => h("a", { href: patientHref(cohortId, p.patientId) }, p.patientId) },
      { label: "Best % change", num: true, cell: (p) => fmtPct(p.bestPctChange) },
      { label: "Best overall response", cell: (p) => badge(p.response) },
    ], waterfall.patients),
  });
  const readout = h("p", { class: "readout", "aria-live": "polite" }, "Point at a line to name the patient; click to open it.");
  const sp = chartFigure("spider", "Spider: change over time", `The ${change} at each scan, one line per patient${partial ? "" : " coloured by best overall response"}.${refText}`, {
    legend: partial ? null : responseLegend(codes),
    readout,
    data: table("Percent change per scan", [
      { label: "Patient", cell: (p) => p.patientId },
      { label: "Scans (day: % change, response)", cell: (p) => p.points.map((q) => `day ${q.timeDays}: ${fmtPct(q.pctChangeFromBaseline)}${q.response ? ` ${q.response}` : ""}`).join("; ") },
    ], spider.patients),
  });
  const cut = (shown, total, what) => (total > shown ? h("p", { class: "readout" }, `Showing the first ${shown} of ${total} ${what}; the table below lists every patient.`) : null);
  const spiderTotal = spider.patients.filter((p) => p.points.some((q) => q.pctChangeFromBaseline !== null)).length;
  const sw = chartFigure("swimmer", "Swimmer: time on study", "One lane per patient from baseline to the last scan, longest first. Dots: scans coloured by the response at that scan (white: baseline); ▼ first progression; ✱ a new lesion first seen; the label at the end is the best overall response. Click a lane to open the patient.", {
    legend: h("ul", { class: "legend" }, [...scanCodes.map((c) => h("li", {}, h("span", { class: "swatch", "data-color": colorOf(c) }), `${c} at a scan`)), h("li", {}, "▼ progression"), h("li", {}, "✱ new lesion first seen")]),
  });

  const patientsTable = table(`${n} patients`, [
    { label: "Patient", cell: (p) => h("a", { href: patientHref(cohortId, p.patientId), "data-patient": p.patientId }, p.patientId) },
    { label: "Scans", num: true, cell: (p) => String(p.studyCount) },
    { label: "Time on study", num: true, cell: (p) => (p.timeAxis === "age" ? `${Math.round(p.timeOnStudyDays / 365.25)} years (ages)` : fmtDays(p.timeOnStudyDays)) },
    { label: partial ? "Best change of tracked lesions" : "Best % change", num: true, cell: (p) => fmtPct(best.get(p.patientId)) },
    ...(partial
      ? []
      : [
          { label: "Best overall response", cell: (p) => badge(p.response) },
          { label: "Progression", num: true, cell: (p) => (p.progressionTimeDays === null ? "none" : fmtDays(p.progressionTimeDays)) },
        ]),
  ], [...swimmer.patients].sort((a, b) => a.patientId.localeCompare(b.patientId)), { id: "patients" });

  const nodes = [
    h("h1", {}, cohort.name),
    h("p", { class: "sub" }, cohort.description ?? "", ` Criteria: ${cohort.protocol?.criteria ?? "RECIST1.1"}, protocol version ${cohort.protocolVersion}.`),
    partial ? h("p", { class: "notice partial", id: "partial-note" }, h("strong", {}, "partial annotations: size change of tracked lesions only. "), "Only some lesions are annotated in each study, so no RECIST response (and no progression) is reported; the charts show how the lesions tracked across studies changed.") : null,
    h("ul", { class: "stats", "aria-label": "cohort figures" },
      h("li", {}, h("b", {}, String(n)), " patients"),
      h("li", {}, h("b", {}, String(evaluable)), " evaluable"),
      partial ? null : h("li", {}, h("b", {}, evaluable ? `${Math.round((100 * responders) / evaluable)} %` : "–"), ` objective response (${cohort.protocol?.criteria === "iRECIST" ? "iCR or iPR" : "CR or PR"})`),
      partial ? null : h("li", {}, h("b", {}, String(progressed)), cohort.protocol?.criteria === "iRECIST" ? " with confirmed progression (iCPD)" : " progressed")),
    wf.fig,
    h("div", { class: "two" }, sp.fig, sw.fig),
    cut(MAX_SPIDER, spiderTotal, "patients on the spider chart (by patient id)"),
    cut(MAX_LANES, n, "lanes on the swimmer chart (longest time on study first)"),
    h("h2", {}, "Patients"),
    patientsTable,
    skill.fig,
    reviewPanel(cohortId, queue),
  ];
  const mount = () => {
    for (const s of document.querySelectorAll(".swatch[data-color]")) s.style.background = s.dataset.color;
    skill.mount();
    if (n === 0) return;
    if (evaluable === 0) {
      const none = "No patient has a follow-up scan with a percent change from baseline yet.";
      wf.plot.replaceChildren(h("p", { class: "notice" }, none));
      sp.plot.replaceChildren(h("p", { class: "notice" }, none));
    } else {
      labelCanvas(waterfallChart(wf.plot, waterfall, pick), `Waterfall chart of ${evaluable} patients`);
      labelCanvas(spiderChart(sp.plot, spider, readout, pick), `Spider chart of ${spider.patients.length} patients`);
    }
    labelCanvas(swimmerChart(sw.plot, swimmer, pick), `Swimmer chart of ${n} patients`);
  };
  return { title: cohort.name, nodes, mount };
}
