import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";
import { importDeepLesion } from "../../src/service/import-deeplesion.ts";
import { exportSdtm } from "../../src/service/export-sdtm.ts";
import { RS, TR, TU } from "../../src/io/sdtm/columns.ts";
import type { SdtmRows, TimelineForSdtm } from "../../src/io/sdtm/map.ts";
import { DomainWriter } from "../../src/io/sdtm/write.ts";
import { expectSdtmRules } from "../unit/io/sdtm-rules.ts";

const SAMPLE = fileURLToPath(new URL("../../../shared/data/deeplesion/DL_info.sample.csv", import.meta.url));

describe.each(backends)("SDTM export ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const ctx = () => ({ ...suite.t.deps, actor: "test-export" });
  const cohort = () => suite.cohort();
  async function exportAll(cohortId: string) {
    const all: SdtmRows = { tu: [], tr: [], rs: [] };
    const counts = await exportSdtm({ ctx: ctx(), cohortId, sink: async (r) => void (all.tu.push(...r.tu), all.tr.push(...r.tr), all.rs.push(...r.rs)) });
    return { all, counts };
  }
  const timelineOf = async (cohortId: string, patientId: string) => (await (await send(suite.t.app, "GET", `/v1/cohorts/${cohortId}/patients/${patientId}/timeline`)).json()) as TimelineForSdtm;
  const ofSubject = (rows: SdtmRows, usubjid: string): SdtmRows => ({ tu: rows.tu.filter((r) => r.USUBJID === usubjid), tr: rows.tr.filter((r) => r.USUBJID === usubjid), rs: rows.rs.filter((r) => r.USUBJID === usubjid) });

  it.skipIf(!existsSync(SAMPLE))("exports the imported DeepLesion sample keeping every rule against each stored timeline", async () => {
    const cohortId = await cohort();
    await importDeepLesion({ ctx: ctx(), cohortId, source: createReadStream(SAMPLE) });
    const { all, counts } = await exportAll(cohortId);
    expect(counts.patients).toBe(4);
    for (const p of ["000089", "000090", "000091", "000092"]) expectSdtmRules(ofSubject(all, `${cohortId}-${p}`), await timelineOf(cohortId, p));
    // No real dates in DeepLesion: no --DTC; visits by order.
    expect(all.tr.every((r) => r.TRDTC === null)).toBe(true);
    expect(all.rs.filter((r) => r.RSTESTCD === "OVRLRESP" && r.USUBJID === `${cohortId}-000089`)).toHaveLength(13);
  });

  it("exports dated studies with --DTC, and writes tu/tr/rs as CSV and Dataset-JSON 1.1 with matching records", async () => {
    const cohortId = await cohort();
    const p = await makePatient(suite.t, cohortId, "P1");
    const a: [number, number, number] = [100, 50, 200], b: [number, number, number] = [-60, 10, 120];
    await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/studies/S1`, studyBody("2024-01-10", [{ pos: a, long: 30 }, { pos: b, long: 20, organ: "lung" }]));
    await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/studies/S2`, studyBody("2024-03-10", [{ pos: a, long: 18 }, { pos: b, long: 12, organ: "lung" }]));
    await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/studies/S3`, studyBody("2024-05-10", [{ pos: a, long: 17 }]));
    // The lung lesion was looked for at S3 and is gone (unflagged, an unseen target is not evaluated).
    expect((await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/recist`, { studyFlags: { S3: { disappeared: ["trk_S1/2"] } } })).status).toBe(200);
    const { all } = await exportAll(cohortId);
    expectSdtmRules(all, await timelineOf(cohortId, p));
    expect(all.rs.filter((r) => r.RSTESTCD === "OVRLRESP").map((r) => [r.RSDTC, r.RSORRES])).toEqual([["2024-03-10", "PR"], ["2024-05-10", "PR"]]);
    expect(all.tr.find((r) => r.VISITNUM === 3 && r.TRGRPID === "TARGET" && r.TRORRES === "NOT PRESENT")).toMatchObject({ TRSTRESN: 0, TRDTC: "2024-05-10" });

    const dir = mkdtempSync(join(tmpdir(), "sdtm-"));
    try {
      const meta = { createdAt: suite.t.deps.clock.now().toISOString(), studyId: cohortId, sourceSystem: { name: "lesiontrack", version: "test" } };
      const writers = [new DomainWriter(dir, TU, meta), new DomainWriter(dir, TR, meta), new DomainWriter(dir, RS, meta)];
      await writers[0]!.write(all.tu);
      await writers[1]!.write(all.tr);
      await writers[2]!.write(all.rs);
      await Promise.all(writers.map((w) => w.close()));
      for (const [domain, rows] of [[TU, all.tu], [TR, all.tr], [RS, all.rs]] as const) {
        const name = domain.name.toLowerCase();
        const json = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
        expect(json).toMatchObject({ datasetJSONVersion: "1.1.0", itemGroupOID: `IG.${domain.name}`, name: domain.name, records: rows.length, studyOID: cohortId });
        expect(json.columns.map((c: any) => c.name)).toEqual(domain.columns.map((c) => c.name));
        expect(json.columns.every((c: any) => c.itemOID && c.label && c.dataType)).toBe(true);
        expect(json.rows).toHaveLength(rows.length);
        expect(json.rows[0]).toEqual(domain.columns.map((c) => rows[0]![c.name] ?? null));
        const csv = readFileSync(join(dir, `${name}.csv`), "utf8").trimEnd().split("\n");
        expect(csv[0]).toBe(domain.columns.map((c) => c.name).join(","));
        expect(csv).toHaveLength(rows.length + 1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
