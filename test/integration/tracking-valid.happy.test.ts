import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";
import { loadTrackingData } from "../../src/bench/tracking-data.ts";
import { derive } from "../../src/bench/tracking-eval.ts";

const validFile = path.resolve(process.cwd(), "../shared/data/matching/valid_tasks.json");
const haveData = existsSync(validFile);
if (!haveData) console.log(`tracking of a valid patient through the API skipped: ${validFile} not found`);

/** A 6-study patient of the DLS valid tasks whose lesions are seen on several series. */
const PATIENT = "000390";

const grouping = (tracks: { observations: { observationId: string }[] }[]): string[] =>
  tracks.map((t) => t.observations.map((o) => o.observationId).join(" ")).sort();

describe.skipIf(!haveData).each(backends)("a multi-study DLS valid patient through the API ($name)", (backend) => {
  const suite = useAppWithCohort(backend);

  it("gets the tracks `bench tracking` derives, whatever the arrival order, and links the labelled pairs", async () => {
    const data = loadTrackingData(validFile);
    const patient = data.patients.find((p) => p.patientId === PATIENT)!;
    expect(patient.studies.length).toBeGreaterThanOrEqual(5);
    const base = `/v1/cohorts/${suite.cohortId}/patients/${PATIENT}`;
    await send(suite.t.app, "PUT", base, {});
    // Latest study first: the service re-derives the whole history on every arrival.
    for (const s of [...patient.studies].reverse()) {
      const body = {
        orderIndex: s.orderIndex,
        observations: s.observations.map((o) => ({ id: o.id, positionMm: o.positionMm, longAxisMm: o.longAxisMm, shortAxisMm: o.shortAxisMm, source: o.source })),
      };
      const res = await send(suite.t.app, "PUT", `${base}/studies/${s.key}`, body);
      expect(res.status).toBe(201);
    }
    const tl = (await (await send(suite.t.app, "GET", `${base}/timeline`)).json()) as {
      tracks: { observations: { observationId: string; link: { confidence: number; margin: number } | null }[] }[];
    };
    expect(grouping(tl.tracks)).toEqual(grouping(derive(patient.studies).tracks.map((t) => ({ observations: t.points }))));
    for (const t of tl.tracks) {
      for (const o of t.observations.slice(1)) {
        expect(o.link!.confidence).toBeGreaterThanOrEqual(0);
        expect(o.link!.confidence).toBeLessThanOrEqual(1);
        expect(Number.isFinite(o.link!.margin)).toBe(true);
      }
    }
    // Every labelled study pair of this patient: each track present in both studies is linked, nothing else.
    const trackOf = new Map(tl.tracks.flatMap((t, k) => t.observations.map((o) => [o.observationId, k] as const)));
    const truth = data.truth!;
    for (const task of data.tasks.filter((t) => t.patientId === PATIENT)) {
      const ids = (key: string) => patient.studies.find((s) => s.key === key)!.observations.map((o) => o.id);
      for (const x of ids(task.studyA)) {
        for (const y of ids(task.studyB)) if (trackOf.get(x) === trackOf.get(y)) expect(truth.get(x), `${x} ~ ${y}`).toBe(truth.get(y));
      }
    }
  });
});
