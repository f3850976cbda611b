// Writers released together by a barrier (test/helpers/barrier.ts) on PostgreSQL, with the
// invariants the locks of src/db/queries/lock.ts exist for. PGlite runs one transaction at a
// time, so only PostgreSQL can show a race; without TEST_DATABASE_URL the file skips.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { releasedTogether } from "../helpers/barrier.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";

const url = process.env.TEST_DATABASE_URL;
if (!url) console.info("[concurrency] TEST_DATABASE_URL not set: barrier tests need PostgreSQL, skipped");

const lesion = (long: number) => studyBody("2024-01-01", [{ pos: [0, 0, 0], long }]);
const at = (date: string, long: number) => studyBody(date, [{ pos: [0, 0, 0], long }]);
const json = async (res: Response) => (await res.json()) as any;

describe.skipIf(!url)("concurrent writers on PostgreSQL (barrier, no sleeps)", () => {
  const suite = useAppWithCohorts({ name: "postgres", target: url ?? "" });
  const timeline = async (cohortId: string, patientId: string) => json(await send(suite.t.app, "GET", `/v1/cohorts/${cohortId}/patients/${patientId}/timeline`));

  it("one patient: same-key and other-key study writes all land, revisions neither skip nor repeat", async () => {
    const cohortId = await suite.cohort();
    await makePatient(suite.t, cohortId, "P");
    const put = (key: string, body: unknown) => send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P/studies/${key}`, body);
    expect((await put("BL", lesion(30))).status).toBe(201);
    const start = (await timeline(cohortId, "P")).patient.revision as number;

    const results = await releasedTogether(url!, ["studies"], 4, () => [
      put("W08", at("2024-02-26", 25)),
      put("W08", at("2024-02-26", 26)),
      put("W08", at("2024-02-26", 27)),
      put("W16", at("2024-04-22", 24)),
    ]);
    const bodies = await Promise.all(results.map(json));
    // Without the patient lock, the three writers of W08 all read "no such study" and insert it.
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201, 201]);
    expect(bodies.map((b) => b.revision).sort((a, b) => a - b)).toEqual([start + 1, start + 2, start + 3, start + 4]);
    const tl = await timeline(cohortId, "P");
    expect(tl.patient.revision).toBe(start + 4);
    expect(tl.studies.map((s: any) => s.studyKey)).toEqual(["BL", "W08", "W16"]);
    expect(tl.tracks).toHaveLength(1);
    const r = await suite.t.handle.db.execute(sql`select action from audit_log where cohort_id = ${cohortId} and action like 'study.%' order by action`);
    const actions = ((Array.isArray(r) ? r : (r as any).rows) as { action: string }[]).map((x) => x.action);
    expect(actions).toEqual(["study.create", "study.create", "study.create", "study.replace", "study.replace"]);
  });

  it("one patient: studies on two time axes written together, exactly one is accepted", async () => {
    const cohortId = await suite.cohort();
    await makePatient(suite.t, cohortId, "P");
    const put = (key: string, body: unknown) => send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P/studies/${key}`, body);
    const dated = at("2024-01-01", 30);
    const { date: _date, ...undated } = dated;
    const ordered = { ...undated, orderIndex: 1, ageYears: 60 };
    const results = await releasedTogether(url!, ["studies"], 2, () => [put("A", dated), put("B", ordered)]);
    // Without the lock both read an empty patient, both pass the one-axis check, and it has two axes.
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    expect((await timeline(cohortId, "P")).studies).toHaveLength(1);
  });

  it("a protocol change while new patients are ingested: every patient is derived with the new protocol", async () => {
    const cohortId = await suite.cohort();
    const ingest = (patientId: string) =>
      send(suite.t.app, "POST", `/v1/cohorts/${cohortId}/ingest`, { patients: [{ patientId, studies: [{ studyKey: "BL", study: lesion(30) }] }] });
    expect((await ingest("OLD")).status).toBe(200);
    const results = await releasedTogether(url!, ["patient_timelines"], 3, () => [
      send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/protocol`, { protocol: { prThresholdPct: 25 } }),
      ingest("NEW1"),
      ingest("NEW2"),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    // Without the cohort lock, NEW1/NEW2 read protocol 1 while the change (which never saw them) was uncommitted.
    for (const p of ["OLD", "NEW1", "NEW2"]) expect((await timeline(cohortId, p)).recist.protocolVersion).toBe(2);
  });

  it("overlapping bulk ingests: both land, and the result equals running them one after the other", async () => {
    const batchA = { patients: ["P1", "P2", "P3"].map((patientId) => ({ patientId, studies: [{ studyKey: "A", study: at("2024-01-01", 30) }] })) };
    const batchB = { patients: ["P4", "P3", "P2"].map((patientId) => ({ patientId, studies: [{ studyKey: "B", study: at("2024-03-01", 33) }] })) };
    const ingest = (cohortId: string, body: unknown) => send(suite.t.app, "POST", `/v1/cohorts/${cohortId}/ingest`, body);

    const together = await suite.cohort();
    const results = await releasedTogether(url!, ["patients"], 2, () => [ingest(together, batchA), ingest(together, batchB)]);
    // Without the patient locks both batches insert P2 and P3; the later one fails on the key.
    expect(results.map((r) => r.status)).toEqual([200, 200]);

    const sequential = await suite.cohort();
    expect((await ingest(sequential, batchA)).status).toBe(200);
    expect((await ingest(sequential, batchB)).status).toBe(200);
    const shape = (p: string, x: any) => ({ p, revision: x.patient.revision, studies: x.studies.map((s: any) => s.studyKey), tracks: x.tracks.length });
    for (const p of ["P1", "P2", "P3", "P4"]) expect(shape(p, await timeline(together, p))).toEqual(shape(p, await timeline(sequential, p)));
  });
});
