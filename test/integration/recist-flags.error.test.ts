// Flags that contradict a measurement are refused as problem+json naming the field, and change nothing.
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send, snapshotCohort } from "../helpers/test-app.ts";

describe.each(backends)("contradicting RECIST flags ($name)", (backend) => {
  const suite = useAppWithCohort(backend);

  it("refuses each contradiction with its reason and path; the patient is unchanged", async () => {
    const base = `/v1/cohorts/${suite.cohortId}/patients/C1`;
    await makePatient(suite.t, suite.cohortId, "C1");
    // Liver 40 (target), lung 20 (target), node SA 14 (non-target); W08: liver 15, lung 14, node 12.
    const node = (long: number, id?: string) => ({ pos: [-200, 0, 0] as [number, number, number], long, organ: "lymph node", nodal: true, ...(id ? { id } : {}) });
    await send(suite.t.app, "PUT", `${base}/studies/BL`, studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 40, id: "bl-liver" }, { pos: [200, 0, 0], long: 20, organ: "lung", id: "bl-lung" }, node(20, "bl-node")]));
    await send(suite.t.app, "PUT", `${base}/studies/W08`, studyBody("2024-02-26", [{ pos: [0, 0, 0], long: 15 }, { pos: [200, 0, 0], long: 14, organ: "lung" }, node(18)]));
    const designations = [{ trackId: "trk_bl-liver", role: "target" }, { trackId: "trk_bl-lung", role: "target" }, { trackId: "trk_bl-node", role: "non-target" }];
    const before = await snapshotCohort(suite.t.handle, suite.cohortId);
    const tl0 = (await (await send(suite.t.app, "GET", `${base}/timeline`)).json()) as any;

    const cases: [Record<string, unknown>, string, string][] = [
      [{ disappeared: ["trk_bl-liver"] }, "studyFlags.W08.disappeared[0]", "flagged disappeared but measured"],
      [{ notEvaluated: ["trk_bl-lung", "trk_bl-liver"] }, "studyFlags.W08.notEvaluated[1]", "flagged not evaluated but measured"],
      [{ tooSmallToMeasure: ["trk_bl-liver"] }, "studyFlags.W08.tooSmallToMeasure[0]", "too small to measure but measured >= 10 mm"],
      [{ nonTargetStatus: { "trk_bl-node": "absent" } }, "studyFlags.W08.nonTargetStatus.trk_bl-node", "status absent but measured"],
      [{ tooSmallToMeasure: ["trk_bl-liver"], disappeared: ["trk_bl-liver"] }, "studyFlags.W08.disappeared[0]", "also flagged tooSmallToMeasure"],
    ];
    for (const [flags, path, reason] of cases) {
      const res = await send(suite.t.app, "PUT", `${base}/recist`, { designations, studyFlags: { W08: flags } });
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      const body = (await res.json()) as any;
      const issue = body.errors.find((e: any) => e.path === path);
      expect(issue, JSON.stringify(body.errors)).toBeDefined();
      expect(issue.message).toContain(reason);
    }
    expect(await snapshotCohort(suite.t.handle, suite.cohortId)).toEqual(before);
    const tl = (await (await send(suite.t.app, "GET", `${base}/timeline`)).json()) as any;
    expect(tl.patient.revision).toBe(tl0.patient.revision);
    // The same flags where they do not contradict anything are accepted.
    expect((await send(suite.t.app, "PUT", `${base}/recist`, { designations, studyFlags: { W08: { increasedSinceLast: ["trk_bl-node"], symptomDriven: true } } })).status).toBe(200);
  });
});
