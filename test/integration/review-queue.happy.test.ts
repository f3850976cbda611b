import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";
import { useAppWithCohorts } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";

type Vec = [number, number, number];
const LIVER: Vec = [100, 50, 200];
const LUNG: Vec = [-80, 10, 260];
const FAR_LUNG: Vec = [-80, 140, 420];

describe.each(backends)("review queue ($name)", (backend) => {
  const suite = useAppWithCohorts(backend);
  const get = async (path: string, status = 200) => {
    const res = await send(suite.t.app, "GET", path);
    expect(res.status).toBe(status);
    return (await res.json()) as any;
  };

  it("ranks the matcher's links by confidence and lists a lesion that vanished where a new one appeared; a confirmed link leaves the queue", async () => {
    const cohortId = await suite.cohort();
    await makePatient(suite.t, cohortId, "P1");
    const put = async (key: string, body: unknown) => expect((await send(suite.t.app, "PUT", `/v1/cohorts/${cohortId}/patients/P1/studies/${key}`, body)).status).toBe(201);
    await put("S1", studyBody("2024-01-10", [{ pos: LIVER, long: 30 }, { pos: LUNG, long: 20, organ: "lung" }]));
    await put("S2", studyBody("2024-03-10", [{ pos: LIVER, long: 28 }, { pos: LUNG, long: 21, organ: "lung" }]));
    // The lung lesion is drawn far from where it was: the matcher leaves it unlinked (vanished + new).
    await put("S3", studyBody("2024-05-10", [{ pos: LIVER, long: 27 }, { pos: FAR_LUNG, long: 22, organ: "lung" }]));

    const tl = await get(`/v1/cohorts/${cohortId}/patients/P1/timeline`);
    const matcherLinks = tl.tracks.flatMap((t: any) => t.observations.filter((o: any) => o.link?.source === "matcher"));
    const q = await get(`/v1/cohorts/${cohortId}/review-queue?limit=50`);
    expect(q.matcherLinks).toBe(matcherLinks.length);
    const links = q.items.filter((i: any) => i.kind === "link");
    expect(links).toHaveLength(matcherLinks.length);
    const lowest = Math.min(...matcherLinks.map((o: any) => o.link.confidence));
    expect(q.items[0].confidence).toBe(lowest);
    expect(q.confidence.min).toBe(lowest);
    const vanished = tl.events.filter((e: any) => e.type === "vanished");
    const candidates = q.items.filter((i: any) => i.kind === "candidate");
    expect(candidates.length).toBe(vanished.length > 0 ? 1 : 0);
    if (candidates.length) {
      const c = candidates[0];
      expect(c.reasons).toEqual(["vanished and new in one scan"]);
      expect([c.fromStudyKey, c.toStudyKey]).toEqual(["S2", "S3"]);
      expect(c.moveTargets).toEqual([{ trackId: vanished[0].trackIds[0], label: expect.any(String) }]);
      // Acting on it as the page does: link the vanished lesion's last observation to the new one.
      const fix = await send(suite.t.app, "POST", `/v1/cohorts/${cohortId}/patients/P1/corrections`, { action: "confirm-link", fromObservationId: c.fromObservationId, toObservationId: c.toObservationId });
      expect(fix.status).toBe(200);
      const after = await get(`/v1/cohorts/${cohortId}/review-queue?limit=50`);
      // (Forcing a 200 mm jump can shift the study alignment and unlink another pair: that one may now be queued.)
      expect(after.items.some((i: any) => i.fromObservationId === c.fromObservationId && i.toObservationId === c.toObservationId)).toBe(false);
      const joined = (await get(`/v1/cohorts/${cohortId}/patients/P1/timeline`)).tracks.flatMap((t: any) => t.observations).find((o: any) => o.observationId === c.toObservationId);
      expect(joined.link).toMatchObject({ fromObservationId: c.fromObservationId, source: "person" });
    }
    const first = links[0];
    expect((await send(suite.t.app, "POST", `/v1/cohorts/${cohortId}/patients/P1/corrections`, { action: "confirm-link", fromObservationId: first.fromObservationId, toObservationId: first.toObservationId })).status).toBe(200);
    const again = await get(`/v1/cohorts/${cohortId}/review-queue?limit=50`);
    expect(again.items.some((i: any) => i.toObservationId === first.toObservationId && i.kind === "link")).toBe(false);
  });

  it("answers problem+json for an unknown cohort and a bad limit", async () => {
    const missing = await send(suite.t.app, "GET", "/v1/cohorts/no-such-cohort/review-queue");
    expect(missing.status).toBe(404);
    const cohortId = await suite.cohort();
    const bad = await send(suite.t.app, "GET", `/v1/cohorts/${cohortId}/review-queue?limit=0`);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(await bad.json())).toContain("limit");
  });

  it("is documented in the OpenAPI document", async () => {
    const doc = await get("/openapi.json");
    expect(Object.keys(doc.paths)).toContain("/v1/cohorts/{cohortId}/review-queue");
  });
});
