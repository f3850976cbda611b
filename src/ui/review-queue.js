// The cohort's review queue: the links most worth a look, with confirm / reject / move sent
// through the corrections API with a write key; the page re-renders after each.
import { ApiError, enc, getKey, send } from "./api.js";
import { fmtMm, h, patientHref, table } from "./dom.js";

const WRITE_KEY = "lesiontrack.writeKey";
const pct = (x) => (x === null || x === undefined ? "–" : `${Math.round(x * 100)} %`);
let lastStatus = null;

/** Asks the app to render the current page again (the cohort's charts and queue change). */
const refresh = () => window.dispatchEvent(new Event("lesiontrack:refresh"));

function describe(err) {
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return "This key may not change the cohort: enter a key with write access above.";
  return err instanceof ApiError ? `Refused (${err.status}): ${err.message}` : String(err.message ?? err);
}

export function reviewPanel(cohortId, queue) {
  const keyInput = h("input", { id: "write-key", type: "password", autocomplete: "off", spellcheck: "false", placeholder: "the read key above, if it can write" });
  keyInput.value = sessionStorage.getItem(WRITE_KEY) ?? "";
  keyInput.addEventListener("change", () => (keyInput.value ? sessionStorage.setItem(WRITE_KEY, keyInput.value) : sessionStorage.removeItem(WRITE_KEY)));
  const status = h("p", { class: "queue-status", id: "queue-status", role: "status" }, lastStatus ?? "");
  lastStatus = null;

  async function act(item, correction, done) {
    status.textContent = "Sending…";
    try {
      const r = await send("POST", `/cohorts/${enc(cohortId)}/patients/${enc(item.patientId)}/corrections`, correction, keyInput.value.trim() || getKey());
      lastStatus = `${done} (patient ${item.patientId}, revision ${r.revision}); the timeline was derived again.`;
      refresh();
    } catch (err) {
      status.textContent = describe(err);
    }
  }
  const pair = (i) => ({ fromObservationId: i.fromObservationId, toObservationId: i.toObservationId });
  const actions = (i) => {
    const what = `${i.fromStudyKey} → ${i.toStudyKey} of ${i.trackLabel}`;
    const select = h("select", { "aria-label": `move ${i.toStudyKey}'s lesion to track` }, i.moveTargets.map((t) => h("option", { value: t.trackId }, t.label)));
    return h("div", { class: "queue-actions" },
      h("button", { type: "button", "data-action": "confirm", onclick: () => act(i, { action: "confirm-link", ...pair(i) }, `Confirmed ${what}`) }, i.kind === "link" ? "Confirm" : "Link them"),
      h("button", { type: "button", "data-action": "reject", onclick: () => act(i, { action: "reject-link", ...pair(i) }, `Rejected ${what}`) }, i.kind === "link" ? "Reject" : "Keep apart"),
      i.kind === "link" && i.moveTargets.length
        ? [select, h("button", { type: "button", "data-action": "move", onclick: () => act(i, { action: "move-observation", observationId: i.toObservationId, toTrackId: select.value }, `Moved ${i.toStudyKey}'s lesion to ${select.selectedOptions[0]?.textContent}`) }, "Move")]
        : null);
  };
  const c = queue.confidence;
  const node = h("section", { id: "review", "aria-labelledby": "review-title" },
    h("h2", { id: "review-title" }, "Review queue: links most worth a look"),
    h("p", { class: "explain" }, `The matcher's ${queue.matcherLinks} links ranked three ways, taken in turn: lowest confidence (the matcher's probability that the link is right; spread ${pct(c.min)} – ${pct(c.max)}, median ${pct(c.median)}), smallest margin to the next candidate${queue.linksWithMargin ? "" : " (not available for these timelines)"}, and a lesion that vanished in the scan where a new one of the same kind appeared (${queue.vanishedNewPairs}). Confirm or reject a link, move a lesion to another track, or link a vanished lesion to the new one: the patient is derived again.`),
    h("div", { class: "write-key" }, h("label", { for: "write-key" }, "Write key"), keyInput),
    status,
    queue.items.length
      ? table(`${queue.items.length} items`, [
          { label: "Patient", cell: (i) => h("a", { href: patientHref(cohortId, i.patientId) }, i.patientId) },
          { label: "Why", cell: (i) => i.reasons.join("; ") },
          { label: "Scans", cell: (i) => `${i.fromStudyKey} → ${i.toStudyKey}` },
          { label: "Track", cell: (i) => i.trackLabel },
          { label: "Sizes", num: true, cell: (i) => `${fmtMm(i.fromDiameterMm)} → ${fmtMm(i.toDiameterMm)}` },
          { label: "Confidence", num: true, cell: (i) => pct(i.confidence) },
          { label: "Margin", num: true, cell: (i) => (i.margin === null ? "–" : i.margin.toFixed(2)) },
          { label: "Action", cell: actions },
        ], queue.items, { id: "queue" })
      : h("p", { class: "notice" }, "Nothing to review: the matcher made no links in this cohort, or people confirmed them all."));
  return node;
}
