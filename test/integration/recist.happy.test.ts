import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { dropCohort, send } from "../helpers/test-app.ts";
import { makeCohort, makePatient, studyBody } from "../helpers/factories.ts";

describe.each(backends)("RECIST in the timeline ($name)", (backend) => {
  const suite = useAppWithCohort(backend);
  const base = (p: string) => `/v1/cohorts/${suite.cohortId}/patients/${p}`;
  const timeline = async (p: string) => (await (await send(suite.t.app, "GET", `${base(p)}/timeline`)).json()) as any;

  /** Liver 33.0 mm and lung 20.0 mm at baseline; 23.1 + 14.0 = 37.1 at week 8 (-29.7 %); 21.0 + 10.0 at week 16. */
  async function responder(p: string) {
    await makePatient(suite.t, suite.cohortId, p, { referenceDate: "2024-01-08" });
    await send(suite.t.app, "PUT", `${base(p)}/studies/BL`, studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 33, id: "bl-liver" }, { pos: [200, 0, 0], long: 20, organ: "lung", id: "bl-lung" }]));
    await send(suite.t.app, "PUT", `${base(p)}/studies/W08`, studyBody("2024-02-26", [{ pos: [0, 0, 0], long: 23.1, id: "w8-liver" }, { pos: [200, 0, 0], long: 14, organ: "lung", id: "w8-lung" }]));
    await send(suite.t.app, "PUT", `${base(p)}/studies/W16`, studyBody("2024-04-22", [{ pos: [0, 0, 0], long: 21, id: "w16-liver" }, { pos: [200, 0, 0], long: 10, organ: "lung", id: "w16-lung" }]));
  }

  it("proposes targets by the selection rules and computes sums and responses per study", async () => {
    await responder("auto");
    const tl = await timeline("auto");
    expect(tl.recist.designationsProposed).toBe(true);
    expect(tl.recist.designations.filter((d: any) => d.role === "target")).toHaveLength(2);
    expect(tl.recist.result.baselineSum).toBe(53);
    expect(tl.studies[1].recist).toMatchObject({ sum: 37.1, pctChangeFromBaseline: -30, targetResponse: "PR" });
    expect(tl.studies[2].recist).toMatchObject({ sum: 31, targetResponse: "PR", overallResponse: "PR" });
    expect(tl.recist.result.bestOverallResponse.unconfirmed).toBe("PR");
    expect(tl.recist.result.bestOverallResponse.confirmed).toBe("PR");
  });

  it("a person's designation replaces the proposal and changes the sums", async () => {
    await responder("designated");
    const tl0 = await timeline("designated");
    const liver = tl0.tracks.find((tr: any) => tr.observations[0].observationId === "bl-liver").trackId;
    const lung = tl0.tracks.find((tr: any) => tr.observations[0].observationId === "bl-lung").trackId;
    const res = await send(suite.t.app, "PUT", `${base("designated")}/recist`, { designations: [{ trackId: liver, role: "target" }, { trackId: lung, role: "non-target" }] });
    expect(res.status).toBe(200);
    const tl = await timeline("designated");
    expect(tl.recist.designationsProposed).toBe(false);
    expect(tl.recist.result.baselineSum).toBe(33);
    expect(tl.studies[1].recist).toMatchObject({ sum: 23.1, pctChangeFromBaseline: -30, targetResponse: "PR" });
    expect(tl.patient.revision).toBeGreaterThan(tl0.patient.revision);
  });

  it("a follow-up flag (unequivocal non-target progression) turns the time point into PD", async () => {
    await responder("flags");
    const tl0 = await timeline("flags");
    const liver = tl0.tracks.find((tr: any) => tr.observations[0].observationId === "bl-liver").trackId;
    const lung = tl0.tracks.find((tr: any) => tr.observations[0].observationId === "bl-lung").trackId;
    const res = await send(suite.t.app, "PUT", `${base("flags")}/recist`, {
      designations: [{ trackId: liver, role: "target" }, { trackId: lung, role: "non-target" }],
      studyFlags: { W16: { nonTargetStatus: { [lung]: "unequivocal_progression" } } },
    });
    expect(res.status).toBe(200);
    const tl = await timeline("flags");
    expect(tl.studies[2].recist).toMatchObject({ nonTargetResponse: "PD", overallResponse: "PD" });
    expect(tl.recist.result.progressionDate).toBe("2024-04-22");
  });

  it("a protocol change makes a new version and re-derives every patient of the cohort", async () => {
    const c2 = await makeCohort(suite.t);
    try {
      await makePatient(suite.t, c2, "A", { referenceDate: "2024-01-08" });
      await send(suite.t.app, "PUT", `/v1/cohorts/${c2}/patients/A/studies/BL`, studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 33 }]));
      await send(suite.t.app, "PUT", `/v1/cohorts/${c2}/patients/A/studies/W08`, studyBody("2024-02-26", [{ pos: [0, 0, 0], long: 24 }]));
      const before = (await (await send(suite.t.app, "GET", `/v1/cohorts/${c2}/patients/A/timeline`)).json()) as any;
      expect(before.studies[1].recist.targetResponse).toBe("SD");
      const res = await send(suite.t.app, "PUT", `/v1/cohorts/${c2}/protocol`, { protocol: { prThresholdPct: 25 } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ protocolVersion: 2, changed: true, patientsRederived: 1 });
      const after = (await (await send(suite.t.app, "GET", `/v1/cohorts/${c2}/patients/A/timeline`)).json()) as any;
      expect(after.recist.protocolVersion).toBe(2);
      expect(after.studies[1].recist.targetResponse).toBe("PR");
      // The same protocol again (several keys, stored as jsonb in its own key order) changes nothing.
      const full = { criteria: "iRECIST", prThresholdPct: 25, requireConfirmation: true };
      expect(await (await send(suite.t.app, "PUT", `/v1/cohorts/${c2}/protocol`, { protocol: full })).json()).toMatchObject({ protocolVersion: 3, changed: true });
      expect(await (await send(suite.t.app, "PUT", `/v1/cohorts/${c2}/protocol`, { protocol: full })).json()).toMatchObject({ protocolVersion: 3, changed: false, patientsRederived: 0 });
      const bad = await send(suite.t.app, "PUT", `/v1/cohorts/${c2}/protocol`, { protocol: { pdThresholdPct: "twenty" } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as any).errors[0].path).toBe("protocol.pdThresholdPct");
    } finally {
      await dropCohort(suite.t.handle, c2);
    }
  });

  it("a patient written while the protocol changes is derived with the new protocol (it waits for the change)", async () => {
    const c3 = await makeCohort(suite.t);
    try {
      const bl = (i: number) => studyBody("2024-01-01", [{ pos: [i, 0, 0], long: 30 }]);
      const many = { patients: Array.from({ length: 150 }, (_, i) => ({ patientId: `M${i}`, studies: [{ studyKey: "BL", study: bl(i) }] })) };
      expect((await send(suite.t.app, "POST", `/v1/cohorts/${c3}/ingest`, many)).status).toBe(200);
      const change = send(suite.t.app, "PUT", `/v1/cohorts/${c3}/protocol`, { protocol: { prThresholdPct: 25 } });
      await new Promise((r) => setTimeout(r, 50));
      const late = send(suite.t.app, "POST", `/v1/cohorts/${c3}/ingest`, { patients: [{ patientId: "LATE", studies: [{ studyKey: "BL", study: bl(999) }] }] });
      expect(((await (await change).json()) as any).protocolVersion).toBe(2);
      expect((await late).status).toBe(200);
      const tl = (await (await send(suite.t.app, "GET", `/v1/cohorts/${c3}/patients/LATE/timeline`)).json()) as any;
      expect(tl.recist.protocolVersion).toBe(2);
    } finally {
      await dropCohort(suite.t.handle, c3);
    }
  });

  it("rejects RECIST inputs naming unknown tracks or studies", async () => {
    await responder("badinputs");
    const res = await send(suite.t.app, "PUT", `${base("badinputs")}/recist`, { designations: [{ trackId: "nope", role: "target" }], studyFlags: { W99: { tumorMarkersAboveNormal: true } } });
    expect(res.status).toBe(400);
    const paths = ((await res.json()) as any).errors.map((e: any) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["designations[0].trackId", "studyFlags.W99"]));
  });
});
