import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { dropCohort, send } from "../helpers/test-app.ts";
import { makeCohort, makePatient, studyBody } from "../helpers/factories.ts";

describe.each(backends)("studies, happy paths ($name)", (backend) => {
  const suite = useAppWithCohort(backend);

  const timeline = async (patientId: string) => {
    const res = await send(suite.t.app, "GET", `/v1/cohorts/${suite.cohortId}/patients/${patientId}/timeline`);
    expect(res.status).toBe(200);
    return { etag: res.headers.get("etag"), body: (await res.json()) as any };
  };

  it("creates a study, then the same body twice changes nothing", async () => {
    const p = await makePatient(suite.t, suite.cohortId, "idem");
    const body = studyBody("2024-01-10", [{ pos: [10, 20, 30], long: 24.1 }, { pos: [80, -20, 100], long: 15 }]);
    const first = await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S1`, body);
    expect(first.status).toBe(201);
    const r1 = (await first.json()) as any;
    expect(r1).toMatchObject({ created: true, changed: true, observationIds: ["S1/1", "S1/2"] });
    const { etag } = await timeline(p);
    const again = await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S1`, { ...body, observations: body.observations.map((o) => ({ ...o })) });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ created: false, changed: false, revision: r1.revision });
    expect((await timeline(p)).etag).toBe(etag);
  });

  it("builds one track per lesion across shifted studies, with sums and events", async () => {
    const p = await makePatient(suite.t, suite.cohortId, "tracks");
    const shift = (v: [number, number, number], d: [number, number, number]) => v.map((x, i) => x + d[i]!) as [number, number, number];
    const a: [number, number, number] = [100, 50, 200];
    const b: [number, number, number] = [-60, 10, 120];
    const c: [number, number, number] = [20, -90, 40];
    await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S1`, studyBody("2024-01-10", [{ pos: a, long: 30 }, { pos: b, long: 20 }]));
    await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S2`, studyBody("2024-03-10", [{ pos: shift(a, [12, -8, 25]), long: 25 }, { pos: shift(b, [12, -8, 25]), long: 18 }, { pos: shift(c, [12, -8, 25]), long: 12 }]));
    const { body } = await timeline(p);
    expect(body.studies.map((s: any) => s.studyKey)).toEqual(["S1", "S2"]);
    expect(body.studies.map((s: any) => s.sumOfDiametersMm)).toEqual([50, 55]);
    expect(body.tracks).toHaveLength(3);
    const byFirst = new Map(body.tracks.map((tr: any) => [tr.observations[0].observationId, tr.observations.map((o: any) => o.observationId)]));
    expect(byFirst.get("S1/1")).toEqual(["S1/1", "S2/1"]);
    expect(byFirst.get("S1/2")).toEqual(["S1/2", "S2/2"]);
    expect(byFirst.get("S2/3")).toEqual(["S2/3"]);
    const link = body.tracks.find((tr: any) => tr.observations[0].observationId === "S1/1").observations[1].link;
    expect(link.source).toBe("matcher");
    expect(link.confidence).toBeGreaterThan(0.5);
    expect(link.confidence).toBeLessThanOrEqual(1);
    expect(body.events.some((e: any) => e.type === "new" && e.observationIds.includes("S2/3"))).toBe(true);
    expect(body.recist.result.validationErrors).toEqual([]);
    expect(body.forecasts.sumOfDiameters.forecasts.length).toBeGreaterThan(0);
  });

  it("derives the same timeline whatever order the studies arrive in", async () => {
    const lesions = (d: number, k: number) => [{ pos: [10 + d, 20, 30 + d] as [number, number, number], long: 30 - k }, { pos: [120 + d, -40, 90 + d] as [number, number, number], long: 20 + k }];
    const bodies: [string, unknown][] = [
      ["S1", studyBody("2024-01-01", lesions(0, 0))],
      ["S2", studyBody("2024-02-20", lesions(7, 3))],
      ["S3", studyBody("2024-04-15", lesions(-5, 6))],
    ];
    const strip = (tl: any) => JSON.stringify({ ...tl, patient: { ...tl.patient, patientId: null, revision: null } });
    const results: string[] = [];
    for (const [name, order] of [["inorder", [0, 1, 2]], ["shuffled", [2, 0, 1]]] as const) {
      const p = await makePatient(suite.t, suite.cohortId, name);
      for (const i of order) await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/${bodies[i]![0]}`, bodies[i]![1]);
      const { body } = await timeline(p);
      expect(body.studies.map((s: any) => s.date)).toEqual(["2024-01-01", "2024-02-20", "2024-04-15"]);
      results.push(strip(body));
    }
    expect(results[1]).toBe(results[0]);
  });

  it("answers 304 to a current ETag and 200 after a change", async () => {
    const p = await makePatient(suite.t, suite.cohortId, "etag");
    await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 22 }]));
    const { etag } = await timeline(p);
    expect(etag).toMatch(/^"r\d+"$/);
    const cached = await send(suite.t.app, "GET", `/v1/cohorts/${suite.cohortId}/patients/${p}/timeline`, undefined, { "if-none-match": etag! });
    expect(cached.status).toBe(304);
    await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S2`, studyBody("2024-03-10", [{ pos: [1, 1, 1], long: 30 }]));
    const fresh = await send(suite.t.app, "GET", `/v1/cohorts/${suite.cohortId}/patients/${p}/timeline`, undefined, { "if-none-match": etag! });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("etag")).not.toBe(etag);
  });

  it("replaces a study (audit records before and after) and deletes one", async () => {
    const p = await makePatient(suite.t, suite.cohortId, "replace");
    await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S1`, studyBody("2024-01-10", [{ pos: [0, 0, 0], long: 22 }]));
    await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S2`, studyBody("2024-02-10", [{ pos: [0, 0, 0], long: 26 }]));
    const replaced = await send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S2`, studyBody("2024-02-10", [{ pos: [0, 0, 0], long: 27.5 }]));
    expect(replaced.status).toBe(200);
    expect((await timeline(p)).body.studies[1].sumOfDiametersMm).toBe(27.5);
    const del = await send(suite.t.app, "DELETE", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S2`);
    expect(del.status).toBe(200);
    expect((await timeline(p)).body.studies).toHaveLength(1);
    const { sql } = await import("drizzle-orm");
    const r = await suite.t.handle.db.execute(sql`select action, before is not null as has_before from audit_log where cohort_id = ${suite.cohortId} and patient_id = ${p} order by audit_id`);
    const rows = (Array.isArray(r) ? r : (r as any).rows) as { action: string; has_before: boolean }[];
    expect(rows.map((x) => x.action)).toEqual(["patient.create", "study.create", "study.create", "study.replace", "study.delete"]);
    expect(rows[3]!.has_before).toBe(true);
  });

  it("pages patients by keyset cursor without gaps or repeats", async () => {
    const c2 = await makeCohort(suite.t);
    try {
      for (let i = 0; i < 7; i++) await makePatient(suite.t, c2, `K${i}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await send(suite.t.app, "GET", `/v1/cohorts/${c2}/patients?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
        expect(res.status).toBe(200);
        const page = (await res.json()) as any;
        seen.push(...page.items.map((x: any) => x.patientId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(["K0", "K1", "K2", "K3", "K4", "K5", "K6"]);
    } finally {
      await dropCohort(suite.t.handle, c2);
    }
  });

  it("serialises concurrent writes for one patient (no duplicate tracks, every write counted)", async () => {
    const p = await makePatient(suite.t, suite.cohortId, "concurrent");
    const writes = Array.from({ length: 6 }, (_, i) =>
      send(suite.t.app, "PUT", `/v1/cohorts/${suite.cohortId}/patients/${p}/studies/S${i}`, studyBody(`2024-0${i + 1}-01`, [{ pos: [i, 0, 0], long: 20 + i }, { pos: [100, 100 + i, 0], long: 15 }])),
    );
    const statuses = (await Promise.all(writes)).map((r) => r.status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const { body } = await timeline(p);
    expect(body.studies).toHaveLength(6);
    expect(body.tracks).toHaveLength(2);
    expect(body.patient.revision).toBe(7);
  });
});
