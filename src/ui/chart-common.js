// Shared pieces of the uPlot charts: response colours, axes, sizing, reference lines, DOM stats.
import uPlot from "/ui/vendor/uPlot.esm.js";

export { uPlot };

/** Response colours: distinct hues, each at least 3:1 against white (WCAG 1.4.11); iRECIST codes share their RECIST hue, iUPD its own. */
export const RESPONSE_COLORS = {
  CR: "#0b5394", PR: "#1a7f4b", SD: "#a35f00", "NON-CR/NON-PD": "#6a4c93", PD: "#b3261e", NE: "#5f6368",
  iCR: "#0b5394", iPR: "#1a7f4b", iSD: "#a35f00", "NON-iCR/NON-iUPD": "#6a4c93", iUPD: "#c2185b", iCPD: "#b3261e",
};
export const RESPONSE_ORDER = ["CR", "PR", "SD", "NON-CR/NON-PD", "PD", "iCR", "iPR", "iSD", "NON-iCR/NON-iUPD", "iUPD", "iCPD", "NE"];
export const RESPONSE_NAMES = {
  CR: "complete response", PR: "partial response", SD: "stable disease", "NON-CR/NON-PD": "non-CR/non-PD", PD: "progressive disease", NE: "not evaluable",
  iCR: "iRECIST complete response", iPR: "iRECIST partial response", iSD: "iRECIST stable disease", "NON-iCR/NON-iUPD": "iRECIST non-iCR/non-iUPD",
  iUPD: "unconfirmed progression (iRECIST: confirm at the next scan)", iCPD: "confirmed progression (iRECIST)",
};
export const colorOf = (code) => RESPONSE_COLORS[code] ?? RESPONSE_COLORS.NE;

/**
 * Lesion track colours: the Okabe-Ito colour-blind-safe set, darkened where needed for 3:1 on
 * white; beyond eight tracks colours repeat, so every line is also labelled at its end.
 */
export const TRACK_COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#3c3c3c", "#56b4e9", "#e69f00"];

export const FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const GRID = { stroke: "#e3e6ea", width: 1 };
const TICKS = { stroke: "#c4c8cf", width: 1 };

/** An axis in the page's style; extra options override. */
export const axis = (extra = {}) => ({ stroke: "#333", font: FONT, labelFont: `bold ${FONT}`, grid: GRID, ticks: TICKS, ...extra });

export const px = (n) => n * uPlot.pxRatio;

/** Dashed horizontal reference lines with labels (grey, so they never read as data). */
export function referenceLines(lines, scale = "y") {
  return {
    hooks: {
      draw: [
        (u) => {
          const { ctx, bbox } = u;
          ctx.save();
          ctx.setLineDash([px(6), px(4)]);
          ctx.lineWidth = px(1.5);
          ctx.font = FONT.replace("12px", `${px(11)}px`);
          ctx.textAlign = "right";
          ctx.textBaseline = "bottom";
          for (const l of lines) {
            const y = Math.round(u.valToPos(l.value, scale, true));
            if (y < bbox.top || y > bbox.top + bbox.height) continue;
            ctx.strokeStyle = "#3c4043";
            ctx.beginPath();
            ctx.moveTo(bbox.left, y);
            ctx.lineTo(bbox.left + bbox.width, y);
            ctx.stroke();
            const w = ctx.measureText(l.label).width;
            ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
            ctx.fillRect(bbox.left + bbox.width - w - px(8), y - px(16), w + px(6), px(14));
            ctx.fillStyle = "#202124";
            ctx.fillText(l.label, bbox.left + bbox.width - px(5), y - px(3));
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** The reference lines of a cohort view as labelled values (-30 % and +20 % by default). */
export const recistLines = (ref) => [
  { value: ref.partialResponsePct, label: `${ref.partialResponsePct} % (partial response)` },
  { value: ref.progressionPct, label: `+${ref.progressionPct} % (progression)` },
];

/**
 * Mounts a uPlot chart in `el`, following its width, and records what it drew on the figure
 * (data-series, data-points) so tests and assistive summaries see real counts.
 */
export function mount(el, opts, data, stats) {
  const width = Math.max(320, el.clientWidth || 640);
  const u = new uPlot({ ...opts, width }, data, el);
  el.uplot = u; // what was drawn (scaled data, valToPos): read by the browser test
  const figure = el.closest("figure") ?? el;
  figure.dataset.series = String(stats.series);
  figure.dataset.points = String(stats.points);
  figure.dataset.rendered = "true";
  let last = width;
  const ro = new ResizeObserver(() => {
    const w = Math.max(320, el.clientWidth);
    if (Math.abs(w - last) > 2) u.setSize({ width: (last = w), height: opts.height });
  });
  ro.observe(el);
  return u;
}

/** Sorted distinct numbers. */
export const distinctSorted = (xs) => [...new Set(xs)].sort((a, b) => a - b);

/** A filled circle with a white ring (scan markers). */
export function dot(ctx, x, y, r, fill, ring = "#fff") {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = px(1.5);
  ctx.strokeStyle = ring;
  ctx.stroke();
}

/** A downward triangle centred at (x, y). */
export function triangleDown(ctx, x, y, r, fill) {
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y - r);
  ctx.lineTo(x, y + r * 0.8);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
}
