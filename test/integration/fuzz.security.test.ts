import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { backends } from "../helpers/backends.ts";
import { send, uniqueId } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";
import { apiKeyHeader, createSecuredTestApp, fillPath, writeRoutes, type SecuredTestApp, type WriteRoute } from "../helpers/secured-app.ts";
import { csvBodies, jsonBodies } from "../helpers/fuzz-bodies.ts";
import { appTables, isolatedBackend, tableHashes } from "../helpers/table-hash.ts";

/** Runs per write route and backend; raise with FUZZ_RUNS. A new seed every run, printed: replay with FUZZ_SEED. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));

const DL_HEADER = "File_name,Patient_index,Study_index,Series_ID,Key_slice_index,Measurement_coordinates,Bounding_boxes,Lesion_diameters_Pixel_,Normalized_lesion_location,Coarse_lesion_type,Possibly_noisy,Slice_range,Spacing_mm_px_,Image_size,DICOM_windows,Patient_gender,Patient_age,Train_Val_Test";
const dlRow = (p: number, s: number, k: number) =>
  `${String(p).padStart(6, "0")}_0${s}_01_${k}.png,${p},${s},1,${k},"390.1, 196.3, 382.5, 180.0, 378.9, 191.6, 393.6, 184.7","373.9, 175.0, 398.6, 201.3","18.0154, 16.1832","0.836722, 0.328687, 0.751075",5,0,"195, 255","0.790804, 0.790804, 1","512, 512","-175, 275",F,26,1`;

/** A study whose free-form fields (source) and numbers reach the database when a mutation keeps it valid. */
const study = (date: string) => {
  const body = studyBody(date, [{ pos: [1, 0, 0], long: 20, embedding: [1, 0, 0] }, { pos: [80, 2, 0], long: 14, embedding: [0, 1, 0] }]);
  body.observations.forEach((o, i) => Object.assign(o, { source: { series: "1.2.840.1", slice: 40 + i, file: `img${i}.dcm` } }));
  return body;
};

describe.each(backends)("fuzzing every write route from valid bodies ($name)", (shared) => {
  let t: SecuredTestApp;
  let drop: () => Promise<void>;
  let routes: WriteRoute[];
  let tables: string[];
  let admin: Record<string, string>;
  const cohortId = uniqueId("fz");

  beforeAll(async () => {
    // Whole tables are compared, so no other test file may write to this database meanwhile.
    const own = await isolatedBackend(shared, "lt_fuzz");
    drop = own.drop;
    t = await createSecuredTestApp(own.backend);
    routes = await writeRoutes(t.app);
    tables = await appTables(t.handle);
    admin = apiKeyHeader((await t.key(["*:admin"])).token);
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "fuzz" }, admin)).status).toBe(201);
    expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1`, { sex: "F", birthYear: 1960 }, admin)).status).toBe(201);
    for (const [key, date] of [["S1", "2024-01-10"], ["S2", "2024-03-10"]] as const) {
      expect((await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/${key}`, study(date), admin)).status).toBe(201);
    }
    console.info(`[fuzz ${shared.name}] FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  /** A valid body per write route, every one able to reach its transaction unchanged. */
  const bases: Record<string, () => unknown> = {
    "POST /v1/cohorts": () => ({ cohortId: uniqueId("fzc"), name: "fuzzed", description: "made by the fuzz test", protocol: { maxTargets: 5, pdThresholdPct: 20 }, settings: { scanIntervalDays: 56, bodySizeMm: [350, 300, 900] } }),
    "PUT /v1/cohorts/{cohortId}/patients/{patientId}": () => ({ sex: "M", birthYear: 1955, referenceDate: "2024-01-01", metadata: { arm: "A", site: { id: 3, name: "north" } } }),
    "PUT /v1/cohorts/{cohortId}/patients/{patientId}/studies/{studyKey}": () => study("2024-05-10"),
    "POST /v1/cohorts/{cohortId}/ingest": () => ({
      patients: [
        { patientId: "PB1", patient: { sex: "F", birthYear: 1970, metadata: { arm: "B" } }, studies: [{ studyKey: "S1", study: study("2024-02-01") }, { studyKey: "S2", study: study("2024-04-01") }] },
        { patientId: "PB2", studies: [{ studyKey: "S1", study: study("2024-02-03") }] },
      ],
    }),
    "POST /v1/cohorts/{cohortId}/patients/{patientId}/corrections": () => ({ action: "confirm-link", fromObservationId: "S1/1", toObservationId: "S2/1", note: "fuzz" }),
    "PUT /v1/cohorts/{cohortId}/patients/{patientId}/recist": () => ({ referenceDate: "2024-01-01", studyFlags: { S2: { tumorMarkersAboveNormal: false } } }),
    "PUT /v1/cohorts/{cohortId}/protocol": () => ({ protocol: { maxTargets: 5, pdThresholdPct: 20 } }),
    "POST /v1/keys": () => ({ name: "fuzzed key", scopes: [`${cohortId}:read`] }),
    "POST /v1/cohorts/{cohortId}/imports/csv": () =>
      "patient_id,study_key,date,x_mm,y_mm,z_mm,long_axis_mm,short_axis_mm,organ,lesion_type,embedding,source\nPF1,S1,2024-01-10,0,0,0,20,12,liver,mass,1 0 0,\"{\"\"series\"\":\"\"1\"\"}\"\nPF1,S2,2024-03-10,1,0,0,18,11,liver,mass,0 1 0,\n",
    "POST /v1/cohorts/{cohortId}/imports/deeplesion": () => `${DL_HEADER}\n${dlRow(901, 1, 225)}\n${dlRow(901, 2, 230)}\n`,
  };

  it("has a valid base body for every write route with a body, and each is accepted as it is", async () => {
    expect(routes.map((r) => `${r.method} ${r.template}`).sort()).toEqual(Object.keys(bases).sort());
    for (const r of routes) {
      const id = `${r.method} ${r.template}`;
      const base = bases[id]!();
      const res = await t.app.request(fillPath(r.template, { cohortId, patientId: "P1", studyKey: "S3" }), {
        method: r.method, headers: { ...admin, "content-type": r.contentType }, body: typeof base === "string" ? base : JSON.stringify(base),
      });
      const text = await res.text();
      expect(res.status, `${id} -> ${text.slice(0, 300)}`).toBeLessThan(300);
      if (r.template.includes("/imports/")) expect(JSON.parse(text), id).toMatchObject({ rowsRejected: 0, aborted: null });
    }
  });

  it(`never answers 5xx, and a refused request changes no row of any table (${RUNS} runs per route)`, async () => {
    const report: string[] = [];
    for (const r of routes) {
      const id = `${r.method} ${r.template}`;
      const base = bases[id]!;
      const path = fillPath(r.template, { cohortId, patientId: "P1", studyKey: "S3" });
      const statuses: Record<number, number> = {};
      let current = await tableHashes(t.handle, tables);
      await fc.assert(
        fc.asyncProperty(r.contentType.includes("json") ? jsonBodies(base) : csvBodies(base() as string), async (body) => {
          const res = await t.app.request(path, { method: r.method, headers: { ...admin, "content-type": r.contentType }, body });
          const text = await res.text();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const shown = `${id} ${body.slice(0, 300)} -> ${text.slice(0, 300)}`;
          expect(res.status, shown).toBeLessThan(500);
          expect(text).not.toMatch(/at .*\.ts:\d+/);
          const after = await tableHashes(t.handle, tables);
          if (res.status >= 400) {
            expect(res.headers.get("content-type"), shown).toContain("application/problem+json");
            expect(after, `${res.status} but a table changed: ${shown}`).toEqual(current);
          } else {
            expect(() => JSON.parse(text), shown).not.toThrow();
          }
          current = after;
        }),
        { numRuns: RUNS, seed: SEED },
      );
      report.push(`${id}: ${JSON.stringify(statuses)}`);
    }
    console.info(`[fuzz ${shared.name}] seed ${SEED}, ${RUNS} runs per route, status counts:\n  ${report.join("\n  ")}`);
  });
});
