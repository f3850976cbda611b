import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send, snapshotCohort } from "../helpers/test-app.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";

const NUL = "\u0000";
const deep = (levels: number): unknown => {
  let v: unknown = "leaf";
  for (let i = 0; i < levels; i++) v = { d: v };
  return v;
};

describe.each(backends)("odd input is a 400 naming the field, never a 5xx ($name)", (backend) => {
  const s = useAppWithCohort(backend);
  const study = (mutate: (body: any) => void) => {
    const body = studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 20, organ: "liver" }]) as any;
    mutate(body);
    return body;
  };

  /** [what, method, path (relative to the cohort), body, the field the answer must name] */
  const cases = (): [string, string, string, unknown, string][] => [
    ["NUL in organ", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].organ = `liv${NUL}er`)), "observations[0].organ"],
    ["NUL in lesion type", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].lesionType = NUL)), "observations[0].lesionType"],
    ["NUL in a source value", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].source = { series: `1${NUL}` })), "observations[0].source.series"],
    ["NUL in a source key", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].source = { [`se${NUL}ries`]: 1 })), "observations[0].source"],
    ["NUL in modality", "PUT", "/patients/P1/studies/S1", study((b) => (b.modality = `C${NUL}T`)), "modality"],
    ["NUL in patient metadata", "PUT", "/patients/P2", { sex: "F", metadata: { arm: { name: `A${NUL}` } } }, "metadata.arm.name"],
    ["NUL in a correction note", "POST", "/patients/P1/corrections", { action: "confirm-link", fromObservationId: "S1/1", toObservationId: "S2/1", note: NUL }, "note"],
    ["NUL in protocol", "PUT", "/protocol", { protocol: { [`x${NUL}`]: 1 } }, "protocol"],
    ["source nested 33 levels", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].source = deep(33))), "observations[0].source"],
    ["metadata nested 5000 levels (25 kB)", "PUT", "/patients/P2", `{"metadata":${'{"d":'.repeat(5000)}1${"}".repeat(5000)}}`, "metadata"],
    ["position 1e300 mm", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].positionMm = [0, 1e300, 0])), "observations[0].positionMm[1]"],
    ["position 6 m", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].positionMm = [6000, 0, 0])), "observations[0].positionMm[0]"],
    ["embedding value whose square overflows", "PUT", "/patients/P1/studies/S1", study((b) => (b.observations[0].embedding = [1e200, 0, 0])), "observations[0].embedding[0]"],
    ["day offset of a million years", "PUT", "/patients/P1/studies/S1", { dayOffset: 3.65e8, observations: [] }, "dayOffset"],
  ];

  it("refuses each case with 400, names the field, and writes nothing", async () => {
    await makePatient(s.t, s.cohortId, "P1");
    for (const [what, method, rel, body, field] of cases()) {
      const before = await snapshotCohort(s.t.handle, s.cohortId);
      const res = await send(s.t.app, method, `/v1/cohorts/${s.cohortId}${rel}`, body);
      const problem = (await res.json()) as { errors?: { path: string }[] };
      expect(res.status, what).toBe(400);
      expect(problem.errors?.map((e) => e.path), what).toContain(field);
      expect(await snapshotCohort(s.t.handle, s.cohortId), what).toEqual(before);
    }
  });

  it("refuses NUL in a cohort name and a body size beyond reason", async () => {
    const nul = await send(s.t.app, "POST", "/v1/cohorts", { name: `n${NUL}` });
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe("name");
    const huge = await send(s.t.app, "POST", "/v1/cohorts", { name: "n", settings: { bodySizeMm: [350, 1e12, 900] } });
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe("settings.bodySizeMm[1]");
  });

  it("accepts a source nested 32 levels and keeps it", async () => {
    const res = await send(s.t.app, "PUT", `/v1/cohorts/${s.cohortId}/patients/P1/studies/S9`, study((b) => (b.observations[0].source = deep(31))));
    expect(res.status).toBe(201);
  });

  it("answers 400 for a patients cursor that decodes to something that is not a patient id", async () => {
    for (const cursor of [Buffer.from("not a patient id!", "utf8").toString("base64url"), Buffer.from([0xff, 0xfe]).toString("base64url")]) {
      const res = await send(s.t.app, "GET", `/v1/cohorts/${s.cohortId}/patients?cursor=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(((await res.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe("cursor");
    }
    const good = await send(s.t.app, "GET", `/v1/cohorts/${s.cohortId}/patients?limit=1`);
    const { nextCursor } = (await good.json()) as { nextCursor: string | null };
    if (nextCursor) expect((await send(s.t.app, "GET", `/v1/cohorts/${s.cohortId}/patients?cursor=${nextCursor}`)).status).toBe(200);
  });
});
