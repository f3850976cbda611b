import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { snapshotCohort } from "../helpers/test-app.ts";

const SAMPLE = fileURLToPath(new URL("../../../shared/data/deeplesion/DL_info.sample.csv", import.meta.url));
const FIXTURE = fileURLToPath(new URL("../fixtures/io/dl-info-small.csv", import.meta.url));

describe.each(backends)("imports, bad input ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const cohort = () => suite.cohort();
  const upload = (cohortId: string, body: string, type = "text/csv", kind = "deeplesion") =>
    suite.t.app.request(`/v1/cohorts/${cohortId}/imports/${kind}`, { method: "POST", headers: { "content-type": type }, body });

  it("rejects bad rows with their line numbers and reasons and imports the rest", async () => {
    const cohortId = await cohort();
    const res = await upload(cohortId, readFileSync(FIXTURE, "utf8"));
    expect(res.status).toBe(200);
    const s = (await res.json()) as any;
    expect(s).toMatchObject({ rowsRead: 14, rowsImported: 9, rowsRejected: 5, patients: 3, studies: 5, lesions: 8, duplicatesMerged: 1 });
    expect(s.rejected.map((r: any) => r.line)).toEqual([8, 9, 10, 11, 15]);
    expect(s.rejected[0].reason).toMatch(/Normalized_lesion_location/);
    expect(await snapshotCohort(suite.t.handle, cohortId)).toMatchObject({ patients: 3, studies: 5, observations: 8 });
  });

  it.skipIf(!existsSync(SAMPLE))("one malformed row of the released sample is rejected by line; the other 60 rows are imported", async () => {
    const cohortId = await cohort();
    const lines = readFileSync(SAMPLE, "utf8").split("\n");
    expect(lines[3]).toMatch(/^000089_02_01_050\.png/); // line 4 of the file
    lines[3] = lines[3]!.replace('"0.189612, 0.568582, 0.643251"', '"0.189612, oops, 0.643251"');
    const s = (await (await upload(cohortId, lines.join("\n"))).json()) as any;
    expect(s).toMatchObject({ rowsRead: 61, rowsImported: 60, rowsRejected: 1, patients: 4 });
    expect(s.rejected).toEqual([{ line: 4, reason: expect.stringMatching(/^Normalized_lesion_location: expected 3 comma-separated numbers/) }]);
  });

  it("refuses a file without the DL_info.csv header (400 naming the header) and writes nothing", async () => {
    const cohortId = await cohort();
    const before = await snapshotCohort(suite.t.handle, cohortId);
    const res = await upload(cohortId, "patient,study\n1,2\n");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const p = (await res.json()) as any;
    expect(p.errors[0].path).toBe("header");
    expect(p.detail).toMatch(/header lacks column\(s\) File_name/);
    expect(await snapshotCohort(suite.t.handle, cohortId)).toEqual(before);
  });

  it("answers 415 for a body that is not CSV, 404 for an unknown cohort, 413 for a declared size over the limit", async () => {
    const cohortId = await cohort();
    const json = await upload(cohortId, JSON.stringify({ rows: [] }), "application/json");
    expect(json.status).toBe(415);
    expect(((await json.json()) as any).code).toBe("unsupported_media_type");
    const missing = await upload("no-such-cohort", readFileSync(FIXTURE, "utf8"));
    expect(missing.status).toBe(404);
    const big = await suite.t.app.request(`/v1/cohorts/${cohortId}/imports/csv`, { method: "POST", headers: { "content-type": "text/csv", "content-length": String(300 * 1024 * 1024) }, body: "patient_id,study_key\n" });
    expect(big.status).toBe(413);
    expect(await snapshotCohort(suite.t.handle, cohortId)).toMatchObject({ patients: 0, studies: 0 });
  });

  it("accepts an upload larger than the JSON body limit (streamed, not buffered)", async () => {
    const cohortId = await cohort();
    const header = "patient_id,study_key,order_index,observation_id,long_axis_mm,short_axis_mm,source\n";
    const pad = "x".repeat(2000);
    let body = header;
    for (let i = 0; i < 200; i++) body += `P${Math.floor(i / 50)},S1,1,o${i},${10 + (i % 7)},5,"{""pad"":""${pad}""}"\n`;
    expect(body.length).toBeGreaterThan(suite.t.deps.config.bodyLimitBytes);
    const res = await upload(cohortId, body, "text/csv", "csv");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rowsRead: 200, rowsImported: 200, patients: 4, lesions: 200 });
  });

  it("a patient whose rows clash with what is stored is rejected alone; the rest of its transaction group is imported", async () => {
    const cohortId = await cohort();
    const header = "patient_id,study_key,order_index,observation_id,long_axis_mm,short_axis_mm,embedding\n";
    // P05 is stored with 3-dimensional embeddings; the file gives it a 2-dimensional one.
    expect((await upload(cohortId, `${header}P05,S1,1,a,20,10,1 2 3\n`, "text/csv", "csv")).status).toBe(200);
    let body = header;
    for (let i = 0; i < 12; i++) body += `P${String(i).padStart(2, "0")},S2,2,b${i},21,11,${i === 5 ? "1 2" : "1 2 3"}\n`;
    const s = (await (await upload(cohortId, body, "text/csv", "csv")).json()) as any;
    expect(s).toMatchObject({ rowsRead: 12, rowsImported: 11, rowsRejected: 1, patients: 11 });
    expect(s.rejected).toEqual([{ line: 7, reason: expect.stringMatching(/^patient P05: .*embedding dimension 2 differs/) }]);
    expect(await snapshotCohort(suite.t.handle, cohortId)).toMatchObject({ patients: 12, studies: 12, observations: 12 });
  });
});
