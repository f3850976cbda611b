// The cohort's forecast skill: a calibration (reliability) plot of P(progression) and the figures
// of GET /v1/cohorts/{c}/forecast-skill (error vs LOCF, interval coverage, Brier).
import { api, enc } from "./api.js";
import { axis, dot, mount, px } from "./chart-common.js";
import { h, table } from "./dom.js";

const f3 = (x) => (x === null || x === undefined ? "–" : Number(x).toFixed(3));
const pct = (x) => (x === null || x === undefined ? "–" : `${Math.round(100 * x)} %`);
const CALIBRATION = { population: "the model's population calibration", cohort: "this cohort's own calibration", fallback: "the fallback (no model)" };

/** Observed frequency against mean predicted P(progression) per non-empty bin, dots sized by count, on the diagonal when calibrated. */
function reliabilityChart(el, bins) {
  const shown = bins.filter((b) => b.n > 0);
  const xs = shown.map((b) => b.meanPredicted);
  const most = Math.max(1, ...shown.map((b) => b.n));
  return mount(
    el,
    {
      height: 280,
      scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
      axes: [axis({ label: "predicted P(progression)" }), axis({ label: "observed frequency", size: 56 })],
      series: [{ label: "predicted" }, { label: "observed", stroke: "#0072b2", width: 0, points: { show: false } }],
      legend: { show: false },
      cursor: { show: false },
      hooks: {
        draw: [
          (u) => {
            const { ctx } = u;
            ctx.save();
            ctx.setLineDash([px(6), px(4)]);
            ctx.strokeStyle = "#3c4043";
            ctx.beginPath();
            ctx.moveTo(u.valToPos(0, "x", true), u.valToPos(0, "y", true));
            ctx.lineTo(u.valToPos(1, "x", true), u.valToPos(1, "y", true));
            ctx.stroke();
            ctx.setLineDash([]);
            shown.forEach((b) => {
              const r = px(4 + 8 * Math.sqrt(b.n / most));
              dot(ctx, u.valToPos(b.meanPredicted, "x", true), u.valToPos(b.observed, "y", true), r, "#0072b2");
            });
            ctx.restore();
          },
        ],
      },
    },
    [xs, shown.map((b) => b.observed)],
    { series: 1, points: shown.length },
  );
}

/** The panel for the cohort page: its figure, and mount() once it is in the document. */
export async function skillPanel(cohortId) {
  const skill = await api(`/cohorts/${enc(cohortId)}/forecast-skill`);
  const o = skill.overall;
  const figure = (key, label, value) => h("li", { "data-figure": key }, h("b", {}, value), ` ${label}`);
  const plot = h("div", { class: "plot", id: "skill-plot" });
  const fig = h(
    "figure",
    { class: "chart", id: "skill", "data-chart": "skill", "aria-labelledby": "skill-title", "aria-describedby": "skill-desc" },
    h("figcaption", {}, h("h2", { id: "skill-title" }, "Forecast skill: how good past forecasts were"), h("p", { id: "skill-desc" }, `Every forecast whose target scan has arrived, scored when it arrived. Dots: observed progression rate against predicted P(progression) per tenth of probability (size: number of forecasts); on the dashed diagonal the probabilities are calibrated. New forecasts use ${CALIBRATION[skill.calibration.source] ?? skill.calibration.source} (a cohort gets its own once ${skill.calibration.minScored} forecasts are scored).`)),
    h("ul", { class: "stats", "aria-label": "forecast skill figures" },
      figure("n", "forecasts scored", String(o.n)),
      figure("maeRatioToLocf", "MAE x last value carried forward", f3(o.maeRatioToLocf)),
      figure("coverage80", "inside the 80 % interval", pct(o.coverage80)),
      figure("brier", `Brier of P(progression) (base rate ${f3(o.brierBaseRate)})`, f3(o.brier))),
    plot,
    h("details", {}, h("summary", {}, "Forecast skill: data as a table"),
      table("Per model version", [
        { label: "Model version", cell: (v) => v.modelVersion },
        { label: "Scored", num: true, cell: (v) => String(v.n) },
        { label: "MAE mm", num: true, cell: (v) => f3(v.maeMm) },
        { label: "x LOCF", num: true, cell: (v) => f3(v.maeRatioToLocf) },
        { label: "Coverage", num: true, cell: (v) => pct(v.coverage80) },
        { label: "Brier", num: true, cell: (v) => f3(v.brier) },
        { label: "ECE", num: true, cell: (v) => f3(v.ece) },
      ], skill.byModelVersion),
      table("Reliability of P(progression)", [
        { label: "Predicted", cell: (b) => `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}` },
        { label: "Forecasts", num: true, cell: (b) => String(b.n) },
        { label: "Mean predicted", num: true, cell: (b) => f3(b.meanPredicted) },
        { label: "Observed", num: true, cell: (b) => f3(b.observed) },
      ], o.reliability)),
  );
  const mountPanel = () => {
    if (o.n === 0) plot.replaceChildren(h("p", { class: "notice" }, "No forecast has reached its target scan yet."));
    else reliabilityChart(plot, o.reliability).ctx.canvas.setAttribute("aria-label", `Calibration plot of ${o.n} scored forecasts`);
  };
  return { fig, mount: mountPanel };
}
