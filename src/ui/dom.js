// Small DOM helpers: elements built with textContent (never innerHTML), so API data is never markup.

/** h("a", { href: "#/x", class: "c", onclick: fn, "data-x": 1 }, "text", child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A data table: columns [{ label, cell(row) -> Node|string, num? }], with a caption. */
export function table(caption, columns, rows, attrs = {}) {
  return h(
    "table",
    attrs,
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.num ? "num" : null }, c.label)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, columns.map((c) => h("td", { class: c.num ? "num" : null }, c.cell(r) ?? "–"))))),
  );
}

export const fmtPct = (x) => (x === null || x === undefined ? "–" : `${x > 0 ? "+" : x < 0 ? "−" : ""}${Math.abs(x).toFixed(1)} %`);
export const fmtMm = (x) => (x === null || x === undefined ? "–" : `${Number(x).toFixed(1)} mm`);
export const fmtDays = (x) => (x === null || x === undefined ? "–" : `day ${Math.round(x)}`);

/** A response code as a coloured badge (colour from CSS: .r-PR, .r-PD, ...). */
export function badge(code) {
  if (!code) return h("span", { class: "badge r-none" }, "–");
  return h("span", { class: `badge r-${cssCode(code)}` }, code);
}
export const cssCode = (code) => String(code).replace(/[^A-Za-z]/g, "");

export const patientHref = (cohortId, patientId) => `#/cohorts/${encodeURIComponent(cohortId)}/patients/${encodeURIComponent(patientId)}`;
export const cohortHref = (cohortId) => `#/cohorts/${encodeURIComponent(cohortId)}`;
