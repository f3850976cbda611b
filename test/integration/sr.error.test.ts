import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { snapshotCohort, type TestApp } from "../helpers/test-app.ts";
import { AREA_ONLY, BIDIRECTIONAL_MM, PIXELS, checkWithDicomTools, followUp, hasSrData, multipartRelated, part10, srBytes, srDataset, tools } from "../helpers/dicom-sr.ts";

const postSr = (t: TestApp, cohortId: string, body: Uint8Array | string, contentType: string, query = "") =>
  t.app.request(`/v1/cohorts/${cohortId}/imports/sr${query}`, { method: "POST", headers: { "content-type": contentType }, body: body as BodyInit });

/** A Comprehensive SR that is not an Imaging Measurement Report (document title changed). */
const notTid1500 = () => {
  const ds = srDataset(BIDIRECTIONAL_MM);
  ds.ConceptNameCodeSequence = [{ CodeValue: "18748-4", CodingSchemeDesignator: "LN", CodeMeaning: "Diagnostic imaging report" }];
  ds.PatientID = "PX";
  return part10(ds);
};

describe.skipIf(!hasSrData).each(backends)("DICOM SR import, bad input ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);

  const refused: [string, () => Uint8Array, RegExp][] = [
    ["a non-DICOM file", () => new TextEncoder().encode("patient_id,study_key\nP1,s1\n"), /not a DICOM Part 10 file/],
    ["a truncated file", () => srBytes(BIDIRECTIONAL_MM).subarray(0, 4000), /truncated or corrupt/],
    ["an SR that is not TID 1500", notTid1500, /not a TID 1500 Imaging Measurement Report/],
    ["a report with no patient id", () => srBytes(BIDIRECTIONAL_MM), /no PatientID: name the patient/],
    ["a report measured in pixels", () => srBytes(PIXELS), /pixels.*refused rather than read as mm/],
    ["a report with only an area", () => srBytes(AREA_ONLY), /no lesion measurement.*no linear measurement/],
  ];
  it.each(refused)("%s: problem+json with the reason, nothing written", async (_what, bytes, reason) => {
    const cohortId = await suite.cohort();
    const before = await snapshotCohort(suite.t.handle, cohortId);
    const res = await postSr(suite.t, cohortId, bytes(), "application/dicom");
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const p = (await res.json()) as any;
    expect(p.detail).toMatch(reason);
    expect(p.errors[0]).toEqual({ path: "(body)", message: expect.stringMatching(reason) });
    expect(await snapshotCohort(suite.t.handle, cohortId)).toEqual(before);
  });

  it("several reports: the good one imported, each bad part listed with its reason", async () => {
    const cohortId = await suite.cohort();
    const good = part10(followUp(BIDIRECTIONAL_MM, { studyUid: "1.2.826.0.1.3680043.10.998.1", date: "2021-02-03", scale: 1, patientId: "PG-1" }));
    const mp = multipartRelated([new TextEncoder().encode("hello"), good, srBytes(PIXELS)]);
    const res = await postSr(suite.t, cohortId, mp.body, mp.contentType);
    expect(res.status).toBe(200);
    const s = (await res.json()) as any;
    expect(s).toMatchObject({ rowsRead: 3, rowsImported: 1, rowsRejected: 2, patients: 1 });
    expect(s.rejected).toEqual([
      { line: 1, reason: expect.stringMatching(/^part 1: not a DICOM Part 10 file/) },
      { line: 3, reason: expect.stringMatching(/^part 3: no lesion measurement .*pixels/) },
    ]);
  });

  it("a report whose study clashes with the stored patient is refused for that patient only, nothing of it written", async () => {
    const cohortId = await suite.cohort();
    const a = part10(followUp(BIDIRECTIONAL_MM, { studyUid: "1.2.826.0.1.3680043.10.997.1", date: "2021-02-03", scale: 1, patientId: "PC-1" }));
    expect((await postSr(suite.t, cohortId, a, "application/dicom")).status).toBe(200);
    const before = await snapshotCohort(suite.t.handle, cohortId);
    // The stored report again changes nothing; a second report of the same study in one upload is refused.
    const twice = multipartRelated([a, a]);
    const res = await postSr(suite.t, cohortId, twice.body, twice.contentType);
    const s = (await res.json()) as any;
    expect(s.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/second report of study 1.2.826.0.1.3680043.10.997.1/) }]);
    expect(await snapshotCohort(suite.t.handle, cohortId)).toEqual(before);
  });

  it("media types and bodies it cannot take: 415 or 400, naming what is wrong", async () => {
    const cohortId = await suite.cohort();
    expect((await postSr(suite.t, cohortId, "x", "text/csv")).status).toBe(415);
    const noBoundary = await postSr(suite.t, cohortId, "x", 'multipart/related; type="application/dicom"');
    expect(noBoundary.status).toBe(400);
    expect(((await noBoundary.json()) as any).errors[0].path).toBe("content-type");
    const badJson = await postSr(suite.t, cohortId, "{not json", "application/dicom+json");
    expect(((await badJson.json()) as any).detail).toMatch(/not valid JSON/);
    const notDicomJson = await postSr(suite.t, cohortId, JSON.stringify({ PatientID: "x" }), "application/dicom+json");
    expect(((await notDicomJson.json()) as any).detail).toMatch(/8-hex-digit tags/);
    const badPatient = await postSr(suite.t, cohortId, srBytes(BIDIRECTIONAL_MM), "application/dicom", "?patientId=a%20b");
    expect(((await badPatient.json()) as any).errors[0].path).toBe("patientId");
  });

  it("GET .../sr of an unknown patient or study is 404", async () => {
    const cohortId = await suite.cohort();
    expect((await suite.t.app.request(`/v1/cohorts/${cohortId}/patients/nobody/studies/s1/sr`)).status).toBe(404);
  });
});

describe.skipIf(!hasSrData)("lesiontrack import sr / export sr (CLI)", () => {
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], { encoding: "utf8", timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  it("walks a folder, lists every file it did not import with the reason, names the patient of anonymised reports; exports reports that validate", () => {
    const dir = mkdtempSync(join(tmpdir(), "lt-sr-cli-"));
    try {
      writeFileSync(join(dir, "notes.txt"), "not dicom");
      const db = join(dir, "db");
      const run = cli(["import", "sr", join(dir, "notes.txt"), "../shared/data/dicom-sr", "--cohort", "sr-cli", "--create-cohort", "--patient", "anon-9", "--db", db]);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toMatch(/rejected file 1: .*notes\.txt: not a DICOM Part 10 file/);
      expect(run.out).toMatch(/5 files read, 1 imported, 4 rejected/);
      expect(run.out).toMatch(/1 patients \(1 changed\), 1 studies, 3 lesions/);
      expect(run.out).toMatch(/README\.md: not a DICOM Part 10 file/);
      expect(run.out).toMatch(/dcmjs-sample-sr\.dcm: no lesion measurement .*pixels/);
      expect(run.out).toMatch(/highdicom-sr_document\.dcm: no lesion measurement/);
      const out = join(dir, "out");
      const exported = cli(["export", "sr", "--cohort", "sr-cli", "--out", out, "--db", db]);
      expect(exported.code, exported.err).toBe(0);
      expect(exported.out).toMatch(/1 patients, 1 reports/);
      const list = spawnSync("find", [out, "-name", "*.dcm"], { encoding: "utf8" }).stdout.trim().split("\n");
      expect(list).toEqual([expect.stringMatching(/anon-9\/2\.25\.\d+\.dcm$/)]);
      if (tools.dciodvfy || tools.dsrdump)
        for (const f of list) {
          const check = checkWithDicomTools(new Uint8Array(readFileSync(f)));
          if (check.dciodvfyErrors) expect(check.dciodvfyErrors, check.dciodvfyOutput).toEqual([]);
          if (check.dsrdump) expect(check.dsrdump.status).toBe(0);
        }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000); // two CLI processes, each starting tsx and PGlite
});
