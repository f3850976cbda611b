import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send, snapshotCohort } from "../helpers/test-app.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";

describe.each(backends)("data-manager operations, happy paths ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const base = (c: string) => `/v1/cohorts/${c}`;

  it("a study PUT for a new patient creates the patient (audited), and GET patient / GET study return what was stored", async () => {
    const c = await suite.cohort();
    const put = await send(suite.t.app, "PUT", `${base(c)}/patients/NEW/studies/S1`, studyBody("2024-01-10", [{ pos: [10, 20, 30], long: 21.5, organ: "liver" }]));
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ created: true, patientCreated: true });
    const again = await send(suite.t.app, "PUT", `${base(c)}/patients/NEW/studies/S2`, studyBody("2024-03-10", [{ pos: [11, 20, 30], long: 18 }]));
    expect(await again.json()).toMatchObject({ created: true, patientCreated: false });
    const patient = (await (await send(suite.t.app, "GET", `${base(c)}/patients/NEW`)).json()) as any;
    expect(patient).toMatchObject({ patientId: "NEW", sex: null, birthYear: null, metadata: {}, studyKeys: ["S1", "S2"] });
    expect(patient.revision).toBeGreaterThan(0);
    const study = (await (await send(suite.t.app, "GET", `${base(c)}/patients/NEW/studies/S1`)).json()) as any;
    expect(study).toMatchObject({ studyKey: "S1", date: "2024-01-10", observations: [{ id: "S1/1", longAxisMm: 21.5, organ: "liver", positionMm: [10, 20, 30] }] });
    const audit = (await (await send(suite.t.app, "GET", `${base(c)}/patients/NEW/audit`)).json()) as any;
    expect(audit.items.map((e: any) => e.action)).toContain("patient.create");
  });

  it("DELETE patient erases it and its measurements, even from the audit log; one entry says who and when", async () => {
    const c = await suite.cohort();
    await makePatient(suite.t, c, "KEEP");
    await makePatient(suite.t, c, "GONE");
    for (const p of ["KEEP", "GONE"]) await send(suite.t.app, "PUT", `${base(c)}/patients/${p}/studies/S1`, studyBody("2024-01-10", [{ pos: [10, 20, 30], long: 33.3 }]));
    const res = await send(suite.t.app, "DELETE", `${base(c)}/patients/GONE`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ patientId: "GONE", studies: 1, observations: 1 });
    expect((await send(suite.t.app, "GET", `${base(c)}/patients/GONE`)).status).toBe(404);
    expect((await send(suite.t.app, "GET", `${base(c)}/patients/GONE/timeline`)).status).toBe(404);
    expect((await send(suite.t.app, "GET", `${base(c)}/patients/KEEP/timeline`)).status).toBe(200);
    const r = await suite.t.handle.db.execute(sql`select actor, action, at, before, after from audit_log where cohort_id = ${c} and patient_id = 'GONE'`);
    const audit = (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as any[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "patient.delete", before: { studies: 1, observations: 1 }, after: null });
    expect(audit[0].actor).toBeTruthy();
    expect(JSON.stringify(audit)).not.toContain("33.3");
  });

  it("PATCH cohort renames and changes settings; a new scan interval re-derives order-indexed patients", async () => {
    const c = await suite.cohort();
    await makePatient(suite.t, c, "ORD");
    const study = (i: number, long: number) => ({ orderIndex: i, observations: [{ positionNormalized: [0.3, 0.3, 0.5], longAxisMm: long, shortAxisMm: 10 }] });
    await send(suite.t.app, "PUT", `${base(c)}/patients/ORD/studies/01`, study(1, 20));
    await send(suite.t.app, "PUT", `${base(c)}/patients/ORD/studies/02`, study(2, 24));
    const before = (await (await send(suite.t.app, "GET", `${base(c)}/patients/ORD/timeline`)).json()) as any;
    const res = await send(suite.t.app, "PATCH", base(c), { name: "Renamed", settings: { scanIntervalDays: 84 } });
    expect(res.status).toBe(200);
    const cohort = (await res.json()) as any;
    expect(cohort).toMatchObject({ name: "Renamed", patientsRederived: 1 });
    expect(cohort.settings.scanIntervalDays).toBe(84);
    const after = (await (await send(suite.t.app, "GET", `${base(c)}/patients/ORD/timeline`)).json()) as any;
    expect(after.patient.revision).toBeGreaterThan(before.patient.revision);
    expect(JSON.stringify(after)).not.toBe(JSON.stringify(before));
    const same = await send(suite.t.app, "PATCH", base(c), { name: "Renamed" });
    expect(await same.json()).toMatchObject({ patientsRederived: 0 });
  });

  it("exports the cohort over HTTP as the CLI's CSV and as SDTM Dataset-JSON, streamed", async () => {
    const c = await suite.cohort();
    await makePatient(suite.t, c, "X1");
    await send(suite.t.app, "PUT", `${base(c)}/patients/X1/studies/S1`, studyBody("2024-01-10", [{ pos: [10, 20, 30], long: 25 }]));
    await send(suite.t.app, "PUT", `${base(c)}/patients/X1/studies/S2`, studyBody("2024-03-10", [{ pos: [10, 21, 30], long: 20 }]));
    const csv = await send(suite.t.app, "GET", `${base(c)}/export/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^patient_id,/);
    expect(lines).toHaveLength(3);
    for (const domain of ["tu", "tr", "rs"]) {
      const res = await send(suite.t.app, "GET", `${base(c)}/export/sdtm?domain=${domain}`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as any;
      expect(doc).toMatchObject({ datasetJSONVersion: "1.1.0", name: domain.toUpperCase() });
      expect(doc.records).toBe(doc.rows.length);
      expect(doc.records).toBeGreaterThan(0);
    }
  });

  it("DELETE cohort removes everything under it; one audit entry stays", async () => {
    const c = await suite.cohort();
    await makePatient(suite.t, c, "A");
    await send(suite.t.app, "PUT", `${base(c)}/patients/A/studies/S1`, studyBody("2024-01-10", [{ pos: [10, 20, 30], long: 25 }]));
    const res = await send(suite.t.app, "DELETE", base(c));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ cohortId: c, patients: 1, studies: 1, observations: 1 });
    expect((await send(suite.t.app, "GET", base(c))).status).toBe(404);
    expect(await snapshotCohort(suite.t.handle, c)).toMatchObject({ patients: 0, studies: 0, observations: 0, cohorts: 0, audit_log: 1 });
  });
});

describe.each(backends)("data-manager operations, errors ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);

  it("unknown ids answer 404 and bad PATCH bodies 400 naming the field, changing nothing", async () => {
    const c = await suite.cohort();
    await makePatient(suite.t, c, "P");
    for (const [m, p] of [["GET", "/patients/none"], ["DELETE", "/patients/none"], ["GET", "/patients/P/studies/none"]] as const) expect((await send(suite.t.app, m, `/v1/cohorts/${c}${p}`)).status).toBe(404);
    for (const [m, p] of [["DELETE", ""], ["PATCH", ""], ["GET", "/export/csv"], ["GET", "/export/sdtm?domain=tu"]] as const) expect((await send(suite.t.app, m, `/v1/cohorts/nope-${c}${p}`, m === "PATCH" ? { name: "x" } : undefined)).status).toBe(404);
    const before = await snapshotCohort(suite.t.handle, c);
    for (const [body, path] of [[{ settings: { scanIntervalDays: -1 } }, "settings.scanIntervalDays"], [{ name: "" }, "name"], [{ colour: "red" }, "(body)"]] as const) {
      const res = await send(suite.t.app, "PATCH", `/v1/cohorts/${c}`, body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(await res.json())).toContain(path === "(body)" ? "colour" : path);
    }
    expect((await send(suite.t.app, "GET", `/v1/cohorts/${c}/export/sdtm?domain=xx`)).status).toBe(400);
    expect(await snapshotCohort(suite.t.handle, c)).toEqual(before);
  });
});
