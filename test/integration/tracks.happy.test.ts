import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";
import { generateDemoCohort } from "../../src/domain/demo/cohort.ts";

/** Share of observation pairs in consecutive track positions that the generator says are one lesion. */
function linkPrecision(tl: any, truth: Record<string, string>): { correct: number; total: number } {
  let correct = 0, total = 0;
  for (const tr of tl.tracks) {
    for (let i = 1; i < tr.observations.length; i++) {
      total++;
      if (truth[tr.observations[i - 1].observationId] === truth[tr.observations[i].observationId]) correct++;
    }
  }
  return { correct, total };
}

describe.each(backends)("tracks of generated patients with shifts, new and vanished lesions ($name)", (backend) => {
  const suite = useAppWithCohort(backend);

  it("recovers the generator's lesions as tracks and reports new lesions", async () => {
    const patients = generateDemoCohort({ seed: 7, patients: 4, studies: [4, 6], lesions: [2, 5] });
    let correct = 0, total = 0, lesionsTrue = 0, tracksFound = 0;
    for (const p of patients) {
      await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p.patientId}`, { sex: p.sex });
      // arrive out of date order on purpose
      for (const s of [...p.studies].reverse()) {
        const res = await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p.patientId}/studies/${s.studyKey}`, s.input);
        expect(res.status).toBe(201);
      }
      const tl = (await (await send(suite.t.app, "GET", `/v1/cohorts/${suite.cohortId}/patients/${p.patientId}/timeline`)).json()) as any;
      const r = linkPrecision(tl, p.truth);
      correct += r.correct;
      total += r.total;
      lesionsTrue += new Set(Object.values(p.truth)).size;
      tracksFound += tl.tracks.length;
      for (const s of tl.studies.slice(1)) expect(s.alignment).not.toBeNull();
      const newEvents = tl.events.filter((e: any) => e.type === "new").length;
      expect(newEvents).toBe(tl.tracks.length - tl.tracks.filter((tr: any) => tr.observations[0].studyKey === tl.studies[0].studyKey).length);
    }
    expect(total).toBeGreaterThan(20);
    expect(correct / total).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(tracksFound - lesionsTrue)).toBeLessThanOrEqual(2);
  });
});
