// #/ : the cohorts this key can read.
import { api } from "./api.js";
import { cohortHref, h, table } from "./dom.js";

export async function cohortListPage() {
  const { items } = await api("/cohorts");
  const nodes = [h("h1", {}, "Cohorts"), h("p", { class: "sub" }, "Trials and research datasets this API key can read. Open one for its waterfall, spider and swimmer charts.")];
  if (items.length === 0) {
    nodes.push(h("p", { class: "notice" }, "No cohorts yet. `npm start` seeds the demo cohort “demo”; `lesiontrack demo --cohort ID` makes another."));
    return { title: "Cohorts", nodes };
  }
  nodes.push(
    table(
      `${items.length} cohort${items.length === 1 ? "" : "s"}`,
      [
        { label: "Cohort", cell: (c) => h("a", { href: cohortHref(c.cohortId), "data-cohort": c.cohortId }, c.name) },
        { label: "Id", cell: (c) => h("code", {}, c.cohortId) },
        { label: "Description", cell: (c) => c.description ?? "" },
        { label: "Criteria", cell: (c) => String(c.protocol?.criteria ?? "RECIST1.1") },
        { label: "Protocol version", num: true, cell: (c) => String(c.protocolVersion) },
        { label: "Updated", cell: (c) => c.updatedAt.slice(0, 10) },
      ],
      items,
      { id: "cohorts" },
    ),
  );
  return { title: "Cohorts", nodes };
}
