// The page's entry: hash routes (#/, #/cohorts/ID, #/cohorts/ID/patients/PID), the API-key field.
import { ApiError, getKey, setKey } from "./api.js";
import { cohortHref, h } from "./dom.js";
import { cohortListPage } from "./page-cohorts.js";
import { cohortPage } from "./page-cohort.js";
import { patientPage } from "./page-patient.js";

const main = document.getElementById("main");
const crumbs = document.getElementById("crumbs");

function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "cohorts" && parts[1] && parts[2] === "patients" && parts[3]) return { page: "patient", cohortId: parts[1], patientId: parts[3] };
  if (parts[0] === "cohorts" && parts[1]) return { page: "cohort", cohortId: parts[1] };
  return { page: "cohorts" };
}

function setCrumbs(r) {
  const items = [h("li", {}, h("a", { href: "#/" }, "Cohorts"))];
  if (r.cohortId) items.push(h("li", {}, r.page === "cohort" ? h("span", { "aria-current": "page" }, r.cohortId) : h("a", { href: cohortHref(r.cohortId) }, r.cohortId)));
  if (r.patientId) items.push(h("li", {}, h("span", { "aria-current": "page" }, r.patientId)));
  crumbs.replaceChildren(...items);
}

function errorView(err) {
  if (err instanceof ApiError && err.status === 401)
    return getKey()
      ? h("div", { class: "notice error", role: "alert" }, h("strong", {}, "This API key was not accepted. "), "Check the key in the field above and press “Use key”, or “Forget” it.")
      : h("div", { class: "notice error", role: "alert" }, h("strong", {}, "An API key is needed. "), "Enter your key in the “API key” field above and press “Use key” (`npm start` prints one on its first start).");
  if (err instanceof ApiError && err.status === 404) return h("div", { class: "notice error", role: "alert" }, h("strong", {}, "Not found. "), err.message, " (or not visible with this API key).");
  const id = err instanceof ApiError && err.problem?.requestId ? ` Request id: ${err.problem.requestId}.` : "";
  return h("div", { class: "notice error", role: "alert" }, h("strong", {}, "Something went wrong. "), String(err.message ?? err), id);
}

let generation = 0;
async function render(moveFocus) {
  const r = route();
  const mine = ++generation;
  setCrumbs(r);
  main.setAttribute("aria-busy", "true");
  main.replaceChildren(h("p", { class: "loading" }, "Loading…"));
  try {
    const view = r.page === "patient" ? await patientPage(r) : r.page === "cohort" ? await cohortPage(r) : await cohortListPage();
    if (mine !== generation) return;
    document.title = `${view.title} · lesiontrack`;
    main.replaceChildren(...view.nodes.filter(Boolean));
    view.mount?.(); // charts measure their width, so they mount once in the document
  } catch (err) {
    if (mine !== generation) return;
    document.title = "Error · lesiontrack";
    main.replaceChildren(errorView(err));
    if (!(err instanceof ApiError)) console.error(err);
  } finally {
    if (mine === generation) main.removeAttribute("aria-busy");
  }
  if (moveFocus) main.focus({ preventScroll: false });
}

function setupKeyForm() {
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  const status = document.getElementById("key-status");
  const show = () => (status.textContent = getKey() ? "key in use" : "no key");
  input.value = getKey();
  show();
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    setKey(input.value.trim());
    show();
    void render(false);
  });
  document.getElementById("key-clear").addEventListener("click", () => {
    input.value = "";
    setKey("");
    show();
    void render(false);
  });
}

setupKeyForm();
window.addEventListener("hashchange", () => void render(true));
window.addEventListener("lesiontrack:refresh", () => void render(false)); // after a correction from the page
void render(false);
