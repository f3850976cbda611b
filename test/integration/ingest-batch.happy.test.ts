import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { createTestApp, dropCohort, send, snapshotCohort } from "../helpers/test-app.ts";
import { makeCohort } from "../helpers/factories.ts";
import { generateDemoCohort } from "../../src/domain/demo/cohort.ts";

describe.each(backends)("POST /v1/cohorts/{cohortId}/ingest ($name)", (backend) => {
  const suite = useAppWithCohort(backend);
  const base = () => `/v1/cohorts/${suite.cohortId}`;
  const timeline = async (p: string) => (await (await send(suite.t.app, "GET", `${base()}/patients/${p}/timeline`)).json()) as any;
  const comparable = (tl: any) => JSON.stringify({ ...tl, patient: { ...tl.patient, patientId: null, revision: null } });
  const post = (body: unknown) => send(suite.t.app, "POST", `${base()}/ingest`, body);

  it("stores for every patient the timeline that PUT patient + PUT study one by one stores; the same batch again writes nothing", async () => {
    const people = generateDemoCohort({ seed: 21, patients: 3, studies: [3, 5], lesions: [2, 4] });
    const body = {
      // Metadata keys in an order jsonb will not keep: the rerun must still see "unchanged".
      patients: people.map((p, i) => ({ patientId: `B${i}`, patient: { sex: p.sex, birthYear: p.birthYear, metadata: { site: "x", arm: "B", nested: { z: 1, a: [{ y: 2, b: 3 }] } } }, studies: p.studies.map((s) => ({ studyKey: s.studyKey, study: s.input })) })),
    };
    const res = await post(body);
    expect(res.status).toBe(200);
    const out = (await res.json()) as any;
    expect(out.studiesWritten).toBe(people.reduce((n, p) => n + p.studies.length, 0));
    expect(out.patients.map((r: any) => [r.patientId, r.patientCreated, r.studiesCreated, r.changed])).toEqual(people.map((p, i) => [`B${i}`, true, p.studies.length, true]));

    for (const [i, p] of people.entries()) {
      expect((await send(suite.t.app, "PUT", `${base()}/patients/S${i}`, { sex: p.sex, birthYear: p.birthYear, metadata: { site: "x", arm: "B", nested: { z: 1, a: [{ y: 2, b: 3 }] } } })).status).toBe(201);
      for (const s of p.studies) expect((await send(suite.t.app, "PUT", `${base()}/patients/S${i}/studies/${s.studyKey}`, s.input)).status).toBe(201);
      expect(comparable(await timeline(`B${i}`))).toBe(comparable(await timeline(`S${i}`)));
    }

    const before = await snapshotCohort(suite.t.handle, suite.cohortId);
    const again = (await (await post(body)).json()) as any;
    expect(again.studiesWritten).toBe(0);
    expect(again.patients.every((r: any) => !r.changed && !r.patientCreated)).toBe(true);
    expect(again.patients.map((r: any) => r.revision)).toEqual(out.patients.map((r: any) => r.revision));
    expect(await snapshotCohort(suite.t.handle, suite.cohortId)).toEqual(before);
  });

  it("adds a study to a stored patient without touching its attributes when `patient` is absent, and audits each write", async () => {
    const [p] = generateDemoCohort({ seed: 22, patients: 1, studies: [3, 3], lesions: [2, 2] });
    const [s1, s2, s3] = p!.studies;
    expect((await post({ patients: [{ patientId: "K1", patient: { sex: "M", birthYear: 1950 }, studies: [s1, s2].map((s) => ({ studyKey: s!.studyKey, study: s!.input })) }] })).status).toBe(200);
    const first = await timeline("K1");
    const res = await post({ patients: [{ patientId: "K1", studies: [{ studyKey: s3!.studyKey, study: s3!.input }] }] });
    expect(((await res.json()) as any).patients[0]).toMatchObject({ patientCreated: false, studiesCreated: 1, studiesReplaced: 0, changed: true });
    const after = await timeline("K1");
    expect(after.patient).toMatchObject({ sex: "M", birthYear: 1950 });
    expect(after.studies).toHaveLength(3);
    expect(after.patient.revision).toBeGreaterThan(first.patient.revision);

    const audit = (await (await send(suite.t.app, "GET", `${base()}/patients/K1/audit`)).json()) as any;
    const actions = (audit.entries ?? audit.items ?? audit).map((e: any) => e.action);
    expect(actions.filter((a: string) => a === "study.create")).toHaveLength(3);
    expect(actions.filter((a: string) => a === "patient.create")).toHaveLength(1);
    expect(actions).not.toContain("patient.update");
  });
});

describe.each(backends)("POST /v1/cohorts/{cohortId}/ingest at its size limits ($name)", (backend) => {
  it("stores a batch whose audit entries exceed one statement's parameter limit (8,000 studies)", async () => {
    const t = await createTestApp(backend, { config: { bodyLimitBytes: 1024 * 1024, corsOrigins: [] } });
    const cohortId = await makeCohort(t);
    try {
      const patients = Array.from({ length: 8 }, (_, i) => ({ patientId: `L${i}`, studies: Array.from({ length: 1000 }, (_, j) => ({ studyKey: `S${j}`, study: { orderIndex: j, observations: [] } })) }));
      const res = await send(t.app, "POST", `/v1/cohorts/${cohortId}/ingest`, { patients });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).studiesWritten).toBe(8000);
      expect(await snapshotCohort(t.handle, cohortId)).toMatchObject({ patients: 8, studies: 8000, audit_log: 1 + 8 + 8000 }); // cohort, patients, studies
    } finally {
      await dropCohort(t.handle, cohortId);
      await t.close();
    }
  });
});
