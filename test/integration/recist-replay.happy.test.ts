// One truth, two paths: every RECIST scenario replayed through the HTTP API agrees with the engine on the same case.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateCase, type Result } from "../../src/domain/recist/index.ts";
import { parseRecistDocument } from "../../src/io/recist-case.ts";
import { compareResult } from "../unit/recist/compare.ts";
import { backends } from "../helpers/backends.ts";
import { makeCohort } from "../helpers/factories.ts";
import { planReplay, type ReplayPlan } from "../helpers/recist-replay.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { dropCohort, send } from "../helpers/test-app.ts";

const dir = path.resolve(import.meta.dirname, "../fixtures/recist");
const scenarios = readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => {
  const doc = JSON.parse(readFileSync(path.join(dir, f), "utf8")) as { id: string; case: unknown };
  const parsed = parseRecistDocument(JSON.stringify(doc.case));
  if (!parsed.ok) throw new Error(`${f}: ${parsed.message}`);
  return { id: doc.id, case: parsed.cases[0]! };
});

/** Scenarios the API cannot express, each with the reason (the translation must find exactly these). */
const NOT_EXPRESSIBLE: Record<string, string> = {
  "validation-dates-not-increasing": "dates not increasing",
  "validation-unknown-ids": "unknown lesion ids",
};

describe.each(backends)("RECIST scenarios replayed over HTTP ($name)", (backend) => {
  const suite = useAppWithCohort(backend);
  const cohorts: string[] = [];
  afterAll(async () => {
    for (const c of cohorts) await dropCohort(suite.t.handle, c);
  });
  const ok = async (res: Response, what: string) => {
    if (res.status !== 200 && res.status !== 201) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    return res;
  };

  /** Sends the plan: a cohort with the case's protocol, one patient, studies, confirmed links, designations and flags. */
  async function replay(plan: ReplayPlan): Promise<{ result: Result; timeline: any }> {
    const cohortId = await makeCohort(suite.t, { protocol: plan.protocol });
    cohorts.push(cohortId);
    const base = `/v1/cohorts/${cohortId}/patients/R1`;
    await ok(await send(suite.t.app, "POST", `/v1/cohorts/${cohortId}/ingest`, { patients: [{ patientId: "R1", patient: plan.patient, studies: plan.studies }] }), "ingest");
    for (const [from, to] of plan.confirmLinks) await ok(await send(suite.t.app, "POST", `${base}/corrections`, { action: "confirm-link", fromObservationId: from, toObservationId: to }), "confirm-link");
    const before = (await (await send(suite.t.app, "GET", `${base}/timeline`)).json()) as any;
    const trackOf = new Map<string, string>();
    for (const [lesion, obsId] of plan.firstObservation) {
      const track = before.tracks.find((t: any) => t.observations[0].observationId === obsId);
      if (track) trackOf.set(lesion, track.trackId);
    }
    const ids = (xs: string[]) => xs.map((x) => trackOf.get(x)!);
    const studyFlags = Object.fromEntries(Object.entries(plan.flags).map(([key, f]) => [key, {
      ...f,
      tooSmallToMeasure: ids(f.tooSmallToMeasure), equivocalNew: ids(f.equivocalNew), notEvaluated: ids(f.notEvaluated),
      disappeared: ids(f.disappeared), increasedSinceLast: ids(f.increasedSinceLast),
      ...(f.nonTargetStatus ? { nonTargetStatus: Object.fromEntries(Object.entries(f.nonTargetStatus).map(([id, s]) => [trackOf.get(id)!, s])) } : {}),
    }]));
    const designations = plan.designations.map((d) => ({ trackId: trackOf.get(d.lesionId)!, role: d.role }));
    await ok(await send(suite.t.app, "PUT", `${base}/recist`, { designations, studyFlags }), "recist inputs");
    const timeline = (await (await send(suite.t.app, "GET", `${base}/timeline`)).json()) as any;
    const lesionOf = new Map([...trackOf].map(([lesion, track]) => [track, lesion]));
    const result = timeline.recist.result as Result;
    // The engine names lesions by case id, the service by track id: compare in the case's names.
    return { result: { ...result, validationErrors: result.validationErrors.map((e) => ({ ...e, ref: e.ref === null ? null : lesionOf.get(e.ref) ?? e.ref })) }, timeline };
  }

  it("finds exactly the listed scenarios not expressible", () => {
    const refused = Object.fromEntries(scenarios.flatMap((s) => {
      const r = planReplay(s.case);
      return r.ok ? [] : [[s.id, r.reason]];
    }));
    expect(Object.keys(refused).sort()).toEqual(Object.keys(NOT_EXPRESSIBLE).sort());
    for (const [id, reason] of Object.entries(NOT_EXPRESSIBLE)) expect(refused[id]).toContain(reason);
    console.info(`[recist replay] ${scenarios.length} scenarios: ${scenarios.length - Object.keys(refused).length} replayed, ${Object.keys(refused).length} not expressible`);
  });

  it.each(scenarios.filter((s) => !(s.id in NOT_EXPRESSIBLE)).map((s) => [s.id, s] as const))("%s: the timeline agrees with the engine", async (_id, s) => {
    const r = planReplay(s.case);
    if (!r.ok) throw new Error(r.reason);
    const { result } = await replay(r.plan);
    const { id: _, ...engine } = evaluateCase(s.case);
    expect(compareResult(result, engine as Record<string, unknown>)).toEqual([]);
  });
});
