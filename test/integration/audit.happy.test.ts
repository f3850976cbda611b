import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { dropCohort, send, uniqueId } from "../helpers/test-app.ts";
import { studyBody } from "../helpers/factories.ts";
import { apiKeyHeader, createSecuredTestApp, type SecuredTestApp } from "../helpers/secured-app.ts";

describe.each(backends)("per-patient audit trail ($name)", (backend) => {
  let t: SecuredTestApp;
  let cohortId: string;
  let admin: Record<string, string>;
  let writerKeyId: string;
  let writer: Record<string, string>;
  const base = () => `/v1/cohorts/${cohortId}/patients/P1`;
  const audit = async (query = "") => {
    const res = await send(t.app, "GET", `${base()}/audit${query}`, undefined, admin);
    expect(res.status).toBe(200);
    return (await res.json()) as { items: any[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await createSecuredTestApp(backend);
    cohortId = uniqueId("au");
    const root = await t.key(["*:admin"]);
    expect((await send(t.app, "POST", "/v1/cohorts", { cohortId, name: "audit" }, apiKeyHeader(root.token))).status).toBe(201);
    admin = apiKeyHeader((await t.key([`${cohortId}:admin`])).token);
    const w = await t.key([`${cohortId}:write`], "writer");
    writerKeyId = w.keyId;
    writer = apiKeyHeader(w.token);
    const lesions = (long: number) => [{ pos: [0, 0, 0] as [number, number, number], long, embedding: [1, 0, 0] }, { pos: [90, 0, 0] as [number, number, number], long: 15, embedding: [0, 1, 0] }];
    expect((await send(t.app, "PUT", base(), { sex: "F", birthYear: 1960 }, writer)).status).toBe(201);
    expect((await send(t.app, "PUT", `${base()}/studies/S1`, studyBody("2024-01-10", lesions(22)), writer)).status).toBe(201);
    expect((await send(t.app, "PUT", `${base()}/studies/S2`, studyBody("2024-03-10", lesions(18)), writer)).status).toBe(201);
    const replaced = await send(t.app, "PUT", `${base()}/studies/S2`, studyBody("2024-03-10", lesions(16)), { ...writer, "x-request-id": "replace-S2" });
    expect(replaced.status).toBe(200);
    expect((await send(t.app, "PUT", `${base()}/studies/S2`, studyBody("2024-03-10", lesions(16)), writer)).status).toBe(200); // unchanged: no entry
  });
  afterAll(async () => {
    await dropCohort(t.handle, cohortId);
    await t.close();
  });

  it("lists every write newest first with actor, route, request id and before/after", async () => {
    const { items, nextCursor } = await audit();
    expect(nextCursor).toBeNull();
    expect(items.map((i) => i.action)).toEqual(["study.replace", "study.create", "study.create", "patient.create"]);
    const [replace] = items;
    expect(replace).toMatchObject({
      actor: `key:${writerKeyId}`,
      route: "PUT /v1/cohorts/:cohortId/patients/:patientId/studies/:studyKey",
      requestId: "replace-S2",
    });
    expect(replace.before.observations.map((o: any) => o.longAxisMm)).toEqual([18, 15]);
    expect(replace.after.observations.map((o: any) => o.longAxisMm)).toEqual([16, 15]);
    expect(items.map((i) => i.auditId)).toEqual([...items.map((i) => i.auditId)].sort((a, b) => b - a));
  });

  it("includes link corrections and RECIST designations by people", async () => {
    const timeline = (await (await send(t.app, "GET", `${base()}/timeline`, undefined, admin)).json()) as any;
    const track = timeline.tracks[0];
    const trackId = track.trackId ?? track.id;
    const corr = await send(t.app, "POST", `${base()}/corrections`, { action: "split-track", trackId, atObservationId: "S2/1", note: "not the same lesion" }, writer);
    expect(corr.status, await corr.clone().text()).toBe(200);
    const des = await send(t.app, "PUT", `${base()}/recist`, { designations: [{ trackId, role: "target" }] }, writer);
    expect(des.status, await des.clone().text()).toBe(200);
    const { items } = await audit("?limit=2");
    expect(items.map((i) => i.action)).toEqual(["patient.recist-inputs", "tracks.split-track"]);
    expect(items[1].after).toMatchObject({ correction: { action: "split-track", trackId, atObservationId: "S2/1" } });
    expect(JSON.stringify(items[0].after)).toContain(trackId);
  });

  it("pages with a keyset cursor: no entry twice, none missing", async () => {
    const all = (await audit("?limit=500")).items.map((i) => i.auditId);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await audit(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.auditId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThanOrEqual(6);
  });
});
