import { createReadStream, existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send, snapshotCohort } from "../helpers/test-app.ts";
import { importDeepLesion } from "../../src/service/import-deeplesion.ts";
import { importObservationsCsv } from "../../src/service/import-csv.ts";
import { exportObservationsCsv } from "../../src/service/export-csv.ts";
import { observationCsvLine, observationsCsvHeader } from "../../src/io/observations-csv.ts";

const SAMPLE = fileURLToPath(new URL("../../../shared/data/deeplesion/DL_info.sample.csv", import.meta.url));
if (!existsSync(SAMPLE)) console.info("[imports] ../shared/data/deeplesion/DL_info.sample.csv absent: DeepLesion sample import tests skipped");

const SAMPLE_SUMMARY = { format: "deeplesion", rowsRead: 61, rowsImported: 61, rowsRejected: 0, patients: 4, studies: 23, lesions: 54, duplicatesMerged: 7, rejected: [], aborted: null };

describe.skipIf(!existsSync(SAMPLE)).each(backends)("DeepLesion and CSV import, happy paths ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const cohort = () => suite.cohort();
  const ctx = () => ({ ...suite.t.deps, actor: "test-import" });
  const exportCsv = async (cohortId: string) => {
    let out = observationsCsvHeader();
    await exportObservationsCsv({ ctx: ctx(), cohortId, sink: async (rows) => void rows.forEach((r) => (out += observationCsvLine(r))) });
    return out;
  };

  it("imports the released sample through the CLI's service; a rerun changes nothing", async () => {
    const cohortId = await cohort();
    const first = await importDeepLesion({ ctx: ctx(), cohortId, source: createReadStream(SAMPLE) });
    expect(first).toMatchObject({ ...SAMPLE_SUMMARY, patientsChanged: 4 });
    const before = await snapshotCohort(suite.t.handle, cohortId);
    expect(before).toMatchObject({ patients: 4, studies: 23, observations: 54 });
    const again = await importDeepLesion({ ctx: ctx(), cohortId, source: createReadStream(SAMPLE) });
    expect(again).toMatchObject({ ...SAMPLE_SUMMARY, patientsChanged: 0 });
    expect(await snapshotCohort(suite.t.handle, cohortId)).toEqual(before);

    // Same ingest path as the API: the timeline is derived (tracks, RECIST, forecasts) on the age axis.
    const res = await send(suite.t.app, "GET", `/v1/cohorts/${cohortId}/patients/000089/timeline`);
    expect(res.status).toBe(200);
    const tl = (await res.json()) as any;
    expect(tl.timeAxis).toBe("age");
    expect(tl.studies.map((s: any) => s.orderIndex)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(tl.studies[0]).toMatchObject({ studyKey: "01", ageYears: 71, lesionCount: 1 });
    expect(tl.studies[4].lesionCount).toBe(3); // study 5: 4 rows, one lesion on two series
    expect(tl.tracks.length).toBeGreaterThan(0);
    expect(tl.recist.result).toBeDefined();
  });

  it("imports the same file through the upload endpoint with the same outcome", async () => {
    const viaService = await cohort();
    const viaHttp = await cohort();
    await importDeepLesion({ ctx: ctx(), cohortId: viaService, source: createReadStream(SAMPLE) });
    const res = await suite.t.app.request(`/v1/cohorts/${viaHttp}/imports/deeplesion`, { method: "POST", headers: { "content-type": "text/csv" }, body: readFileSync(SAMPLE) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ...SAMPLE_SUMMARY, cohortId: viaHttp, patientsChanged: 4 });
    expect(await snapshotCohort(suite.t.handle, viaHttp)).toEqual(await snapshotCohort(suite.t.handle, viaService));
    const again = await suite.t.app.request(`/v1/cohorts/${viaHttp}/imports/deeplesion`, { method: "POST", headers: { "content-type": "text/csv" }, body: readFileSync(SAMPLE) });
    expect(await again.json()).toMatchObject({ patientsChanged: 0 });
  });

  it("exports the cohort as the flat CSV; importing that into another cohort and exporting again gives the same bytes", async () => {
    const source = await cohort();
    await importDeepLesion({ ctx: ctx(), cohortId: source, source: createReadStream(SAMPLE) });
    const csv = await exportCsv(source);
    expect(csv.split("\n").length - 2).toBe(54);
    const viaService = await cohort();
    const s = await importObservationsCsv({ ctx: ctx(), cohortId: viaService, source: csv });
    expect(s).toMatchObject({ format: "csv", rowsRead: 54, rowsImported: 54, rowsRejected: 0, patients: 4, studies: 23, lesions: 54 });
    expect(await exportCsv(viaService)).toBe(csv);
    const viaHttp = await cohort();
    const res = await suite.t.app.request(`/v1/cohorts/${viaHttp}/imports/csv`, { method: "POST", headers: { "content-type": "text/csv" }, body: csv });
    expect(res.status).toBe(200);
    expect(await exportCsv(viaHttp)).toBe(csv);
    const [a, b] = [await snapshotCohort(suite.t.handle, source), await snapshotCohort(suite.t.handle, viaHttp)];
    expect({ ...b, audit_log: 0 }).toEqual({ ...a, audit_log: 0 });
  });
});
