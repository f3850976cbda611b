import { readFileSync, existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { dropCohort, send, uniqueId } from "../helpers/test-app.ts";
import { importDeepLesion } from "../../src/service/import-deeplesion.ts";

const SAMPLE = resolve(process.cwd(), "../shared/data/deeplesion/DL_info.sample.csv");
if (!existsSync(SAMPLE)) console.info("[annotations] ../shared/data/deeplesion/DL_info.sample.csv absent: the DeepLesion part is skipped");
const RECIST_CATEGORIES = new Set(["CR", "PR", "SD", "PD", "NON-CR/NON-PD"]);

type Vec = [number, number, number];
const LIVER: Vec = [100, 50, 200];
const LUNG: Vec = [-80, 10, 260];
const KIDNEY: Vec = [-60, 60, 20];
const shifted = (v: Vec, k: number): Vec => [v[0] + 3 * k, v[1] - 2 * k, v[2] + 5 * k];

describe.each(backends)("partial annotations and iRECIST in the timeline and cohort views ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const get = async (path: string) => {
    const res = await send(suite.t.app, "GET", path);
    expect(res.status).toBe(200);
    return (await res.json()) as any;
  };

  it.skipIf(!existsSync(SAMPLE))("a DeepLesion import creates a partial-annotation cohort: no RECIST category anywhere, size change of tracked lesions instead", async () => {
    const cohortId = uniqueId("dl");
    try {
      await importDeepLesion({ ctx: { ...suite.t.deps, actor: "test" }, cohortId, createCohort: true, source: readFileSync(SAMPLE, "utf8") });
      expect((await get(`/v1/cohorts/${cohortId}`)).settings.annotations).toBe("partial");
      const tl = await get(`/v1/cohorts/${cohortId}/patients/000089/timeline`);
      expect(tl.annotations).toEqual({ mode: "partial", note: "partial annotations: size change of tracked lesions only" });
      expect(tl.recist.reported).toBe(false);
      expect(tl.recist.result.timepoints).toBeUndefined();
      expect(tl.recist.result.bestOverallResponse).toBeUndefined();
      expect(tl.studies.every((s: any) => s.recist === null)).toBe(true);
      const changes = tl.studies.map((s: any) => s.trackedLesionsPctChange);
      expect(changes[0]).toBeNull();
      expect(changes.slice(1).every((c: any) => typeof c === "number")).toBe(true);
      // T01 is tracked through all 14 studies: its own change bounds nothing, but study 02 compares it alone.
      const t01 = tl.tracks.find((t: any) => t.observations.length === tl.studies.length);
      const d = t01.observations.map((o: any) => o.diameterMm);
      expect(changes[1]).toBeCloseTo((100 * (d[1] - d[0])) / d[0], 0);

      const [spider, waterfall, swimmer] = await Promise.all(["spider", "waterfall", "swimmer"].map((v) => get(`/v1/cohorts/${cohortId}/${v}`)));
      for (const v of [spider, waterfall, swimmer]) expect(v.annotations).toBe("partial");
      expect(swimmer.patients.every((p: any) => p.response === null && p.progressionTimeDays === null && p.studies.every((s: any) => s.response === null))).toBe(true);
      expect(waterfall.patients.every((p: any) => p.response === null && !p.progressed)).toBe(true);
      const p89 = spider.patients.find((p: any) => p.patientId === "000089");
      expect(p89.points.map((q: any) => q.pctChangeFromBaseline)).toEqual([0, ...changes.slice(1)]);
    } finally {
      await dropCohort(suite.t.handle, cohortId);
    }
  });

  it("a complete-annotation cohort keeps RECIST; an iRECIST cohort reports iRECIST labels in its views", async () => {
    const recist = await suite.cohort();
    const irecistId = uniqueId("ir");
    const created = await send(suite.t.app, "POST", "/v1/cohorts", { cohortId: irecistId, name: "iRECIST", protocol: { criteria: "iRECIST" } });
    expect(created.status).toBe(201);
    try {
      for (const cohortId of [recist, irecistId]) {
        await makePatient(suite.t, cohortId, "progressor");
        const put = async (key: string, body: unknown) => expect((await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/progressor/studies/${key}`, body)).status).toBe(201);
        await put("S1", studyBody("2024-01-10", [{ pos: LIVER, long: 20 }, { pos: LUNG, long: 20, organ: "lung" }]));
        await put("S2", studyBody("2024-03-01", [{ pos: shifted(LIVER, 1), long: 22 }, { pos: shifted(LUNG, 1), long: 20, organ: "lung" }]));
        await put("S3", studyBody("2024-04-20", [{ pos: shifted(LIVER, 2), long: 30 }, { pos: shifted(LUNG, 2), long: 22, organ: "lung" }, { pos: shifted(KIDNEY, 2), long: 15, organ: "kidney" }]));
      }
      const plain = await get(`/v1/cohorts/${recist}/swimmer`);
      expect(plain.annotations).toBe("complete");
      expect(plain.patients[0].studies.map((s: any) => s.response)).toEqual([null, "SD", "PD"]);
      const tl = await get(`/v1/cohorts/${irecistId}/patients/progressor/timeline`);
      expect(tl.annotations.mode).toBe("complete");
      expect(tl.studies.map((s: any) => s.recist?.iOverallResponse ?? null)).toEqual([null, "iSD", "iUPD"]);
      const sw = await get(`/v1/cohorts/${irecistId}/swimmer`);
      expect(sw.patients[0].studies.map((s: any) => s.response)).toEqual([null, "iSD", "iUPD"]);
      expect(sw.patients[0].response).toBe(tl.recist.result.irecist.bestOverallResponse.unconfirmed);
      // An unconfirmed iUPD is not a progression under iRECIST: no ▼ until iCPD confirms it.
      expect(sw.patients[0].progressionTimeDays).toBeNull();
      const wf = await get(`/v1/cohorts/${irecistId}/waterfall`);
      expect(RECIST_CATEGORIES.has(wf.patients[0].response)).toBe(false);
    } finally {
      await dropCohort(suite.t.handle, irecistId);
    }
  });
});
