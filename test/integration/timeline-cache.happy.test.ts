import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { createTestApp, dropCohort, send, type TestApp } from "../helpers/test-app.ts";
import { makeCohort, makePatient, studyBody } from "../helpers/factories.ts";
import { attachTimelineCache } from "../../src/server.ts";
import { createApp } from "../../src/api/app.ts";

async function cachedApp(backend: (typeof backends)[number]): Promise<TestApp> {
  const t = await createTestApp(backend);
  await attachTimelineCache(t.handle, t.deps);
  expect(t.deps.timelineCache?.enabled).toBe(true);
  return { ...t, app: createApp(t.deps) };
}

const etagOf = async (t: TestApp, path: string, headers: Record<string, string> = {}) => {
  const res = await send(t.app, "GET", path, undefined, headers);
  return { status: res.status, etag: res.headers.get("etag"), body: res.status === 200 ? ((await res.json()) as any) : null };
};

describe.each(backends)("timeline cache kept true by NOTIFY ($name)", (backend) => {
  it("serves reads and 304s from memory, and a write is visible to the next read of the same process", async () => {
    const t = await cachedApp(backend);
    const cohortId = await makeCohort(t);
    try {
      const p = await makePatient(t, cohortId, "cached");
      const path = `/v1/cohorts/${cohortId}/patients/${p}/timeline`;
      await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/studies/S1`, studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 20 }]));
      const first = await etagOf(t, path);
      expect(t.deps.timelineCache!.get(`${cohortId}/${p}`)?.revision).toBe(Number(first.etag!.slice(2, -1)));
      expect((await etagOf(t, path, { "if-none-match": first.etag! })).status).toBe(304);
      await send(t.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/studies/S2`, studyBody("2024-03-01", [{ pos: [0, 0, 0], long: 26 }]));
      const after = await etagOf(t, path, { "if-none-match": first.etag! });
      expect(after.status).toBe(200);
      expect(after.body.studies).toHaveLength(2);
    } finally {
      await dropCohort(t.handle, cohortId);
      await t.close();
    }
  });

  it.skipIf(backend.name !== "postgres")("another server process sees a write once its NOTIFY arrives", async () => {
    const a = await cachedApp(backend);
    const b = await cachedApp(backend);
    const cohortId = await makeCohort(a);
    try {
      const p = await makePatient(a, cohortId, "shared");
      const path = `/v1/cohorts/${cohortId}/patients/${p}/timeline`;
      const seen = await etagOf(b, path);
      expect(b.deps.timelineCache!.get(`${cohortId}/${p}`)).toBeDefined();
      await send(a.app, "PUT", `/v1/cohorts/${cohortId}/patients/${p}/studies/S1`, studyBody("2024-01-01", [{ pos: [0, 0, 0], long: 20 }]));
      let now = seen;
      for (let i = 0; i < 50 && now.etag === seen.etag; i++) {
        await new Promise((r) => setTimeout(r, 20));
        now = await etagOf(b, path);
      }
      expect(now.etag).not.toBe(seen.etag);
      expect(now.body.studies).toHaveLength(1);
    } finally {
      await dropCohort(a.handle, cohortId);
      await a.close();
      await b.close();
    }
  });
});
