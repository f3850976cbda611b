import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send, snapshotCohort } from "../helpers/test-app.ts";
import { generateDemoCohort } from "../../src/domain/demo/cohort.ts";
import { ingestPatient } from "../../src/service/ingest-patient.ts";
import { studyInput } from "../../src/service/inputs/study.ts";

describe.each(backends)("bulk ingest of a patient ($name)", (backend) => {
  const suite = useAppWithCohort(backend);
  const timeline = async (p: string) => (await (await send(suite.t.app, "GET", `/v1/cohorts/${suite.cohortId}/patients/${p}/timeline`)).json()) as any;
  const comparable = (tl: any) => JSON.stringify({ ...tl, patient: { ...tl.patient, patientId: null, revision: null } });

  it("stores the same timeline as study-by-study ingest through the API, and a rerun changes nothing", async () => {
    const [p] = generateDemoCohort({ seed: 11, patients: 1, studies: [6, 6], lesions: [4, 4] });
    const studies = p!.studies.map((s) => ({ studyKey: s.studyKey, input: studyInput.parse(s.input) }));
    const ctx = { ...suite.t.deps, actor: "test" };
    const batch = { patientId: "bulk", patient: { sex: p!.sex, metadata: {} }, studies };
    const first = await ingestPatient({ ctx, cohortId: suite.cohortId, batch });
    expect(first).toMatchObject({ patientCreated: true, studiesCreated: 6, changed: true });

    await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/one-by-one`, { sex: p!.sex });
    for (const s of [...p!.studies].reverse()) await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/one-by-one/studies/${s.studyKey}`, s.input);
    expect(comparable(await timeline("bulk"))).toBe(comparable(await timeline("one-by-one")));

    const before = await snapshotCohort(suite.t.handle, suite.cohortId);
    expect(await ingestPatient({ ctx, cohortId: suite.cohortId, batch })).toMatchObject({ studiesCreated: 0, changed: false });
    expect(await snapshotCohort(suite.t.handle, suite.cohortId)).toEqual(before);
  });

  it("writes nothing when one study of the batch is invalid against the others", async () => {
    const [p] = generateDemoCohort({ seed: 12, patients: 1, studies: [3, 3], lesions: [2, 2] });
    const studies = p!.studies.map((s) => ({ studyKey: s.studyKey, input: studyInput.parse(s.input) }));
    const clash = { ...studies[2]!, input: { ...studies[2]!.input, observations: studies[2]!.input.observations.map((o, i) => (i === 0 ? { ...o, id: studies[0]!.input.observations[0]!.id } : o)) } };
    const before = await snapshotCohort(suite.t.handle, suite.cohortId);
    await expect(ingestPatient({ ctx: { ...suite.t.deps, actor: "test" }, cohortId: suite.cohortId, batch: { patientId: "broken", patient: { metadata: {} }, studies: [studies[0]!, studies[1]!, clash] } })).rejects.toThrow(/studies\[2\]\.input\.observations\[0\]\.id/);
    expect(await snapshotCohort(suite.t.handle, suite.cohortId)).toEqual(before);
  });
});
