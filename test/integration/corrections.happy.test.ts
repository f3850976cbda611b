import { describe, expect, it } from "vitest";
import { backends } from "../helpers/backends.ts";
import { useAppWithCohort } from "../helpers/suite.ts";
import { send } from "../helpers/test-app.ts";
import { makePatient, studyBody } from "../helpers/factories.ts";

describe.each(backends)("track corrections by people ($name)", (backend) => {
  const suite = useAppWithCohort(backend);

  const base = (p: string) => `/v1/cohorts/${suite.cohortId}/patients/${p}`;
  const timeline = async (p: string) => (await (await send(suite.t.app, "GET", `${base(p)}/timeline`)).json()) as any;
  const chains = (tl: any): string[][] => tl.tracks.map((tr: any) => tr.observations.map((o: any) => o.observationId)).sort((a: string[], b: string[]) => (a[0]! < b[0]! ? -1 : 1));

  /** Two lesions seen in three studies, far apart: the matcher links each chain. */
  async function patientWithTwoChains(p: string) {
    await makePatient(suite.t, suite.cohortId, p);
    for (const [i, date] of ["2024-01-01", "2024-03-01", "2024-05-01"].entries()) {
      await send(suite.t.app, "PUT", `${base(p)}/studies/S${i + 1}`, studyBody(date, [
        { pos: [0, 0, 0], long: 30, id: `S${i + 1}-a` },
        { pos: [150, 0, 0], long: 20, id: `S${i + 1}-b` },
      ]));
    }
  }

  it("confirms a link: source person, confidence 1, audited", async () => {
    await patientWithTwoChains("confirm");
    expect(chains(await timeline("confirm"))).toEqual([["S1-a", "S2-a", "S3-a"], ["S1-b", "S2-b", "S3-b"]]);
    const res = await send(suite.t.app, "POST", `${base("confirm")}/corrections`, { action: "confirm-link", fromObservationId: "S1-a", toObservationId: "S2-a" });
    expect(res.status).toBe(200);
    const tl = await timeline("confirm");
    const link = tl.tracks.flatMap((tr: any) => tr.observations).find((o: any) => o.observationId === "S2-a").link;
    expect(link).toMatchObject({ fromObservationId: "S1-a", source: "person", confidence: 1 });
    const audit = await send(suite.t.app, "GET", `${base("confirm")}/corrections`);
    expect(((await audit.json()) as any).items).toHaveLength(1);
  });

  it("splits a track, and a confirmed link survives later ingests", async () => {
    await patientWithTwoChains("split");
    const tl0 = await timeline("split");
    const trackA = tl0.tracks.find((tr: any) => tr.observations[0].observationId === "S1-a").trackId;
    const res = await send(suite.t.app, "POST", `${base("split")}/corrections`, { action: "split-track", trackId: trackA, atObservationId: "S2-a" });
    expect(res.status).toBe(200);
    const tl = await timeline("split");
    expect(chains(tl)).toEqual([["S1-a"], ["S1-b", "S2-b", "S3-b"], ["S2-a", "S3-a"]]);
    // a new study does not undo the person's split
    await send(suite.t.app, "PUT", `${base("split")}/studies/S4`, studyBody("2024-07-01", [{ pos: [0, 0, 0], long: 29, id: "S4-a" }, { pos: [150, 0, 0], long: 21, id: "S4-b" }]));
    const tl2 = await timeline("split");
    expect(chains(tl2)).toEqual([["S1-a"], ["S1-b", "S2-b", "S3-b", "S4-b"], ["S2-a", "S3-a", "S4-a"]]);
    // merging the later part back into the first track: one track again, but now only through a person's link
    const later = tl2.tracks.find((tr: any) => tr.observations[0].observationId === "S2-a").trackId;
    const merged = await send(suite.t.app, "POST", `${base("split")}/corrections`, { action: "merge-tracks", trackId: later, intoTrackId: trackA });
    expect(merged.status).toBe(200);
    expect(chains(await timeline("split"))).toEqual([["S1-a", "S2-a", "S3-a", "S4-a"], ["S1-b", "S2-b", "S3-b", "S4-b"]]);
  });

  it("moves an observation to another track; withdrawing corrections restores the matcher's tracks", async () => {
    await patientWithTwoChains("move");
    const tl0 = await timeline("move");
    const trackB = tl0.tracks.find((tr: any) => tr.observations[0].observationId === "S1-b").trackId;
    const trackA = tl0.tracks.find((tr: any) => tr.observations[0].observationId === "S1-a").trackId;
    // S3-a and S3-b swapped by a person: move S3-a onto track B (S3-b then has no partner on B)
    const moved = await send(suite.t.app, "POST", `${base("move")}/corrections`, { action: "reject-link", fromObservationId: "S2-b", toObservationId: "S3-b" });
    expect(moved.status).toBe(200);
    const res = await send(suite.t.app, "POST", `${base("move")}/corrections`, { action: "move-observation", observationId: "S3-a", toTrackId: trackB });
    expect(res.status).toBe(200);
    const tl = await timeline("move");
    const chainOf = (first: string) => chains(tl).find((c) => c[0] === first);
    expect(chainOf("S1-b")).toEqual(["S1-b", "S2-b", "S3-a"]);
    expect(chainOf("S1-a")).toEqual(["S1-a", "S2-a"]);
    expect(tl.tracks.some((tr: any) => tr.trackId === trackA)).toBe(true);
    // withdrawing every correction gives the matcher's tracks back
    const list = ((await (await send(suite.t.app, "GET", `${base("move")}/corrections`)).json()) as any).items;
    for (const c of list) expect((await send(suite.t.app, "DELETE", `${base("move")}/corrections/${c.correctionId}`)).status).toBe(200);
    expect(chains(await timeline("move"))).toEqual(chains(tl0));
  });

  it("rejects corrections that name unknown things, with the field", async () => {
    await patientWithTwoChains("bad");
    const res = await send(suite.t.app, "POST", `${base("bad")}/corrections`, { action: "confirm-link", fromObservationId: "S1-a", toObservationId: "nope" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors[0].path).toBe("toObservationId");
    const back = await send(suite.t.app, "POST", `${base("bad")}/corrections`, { action: "confirm-link", fromObservationId: "S2-a", toObservationId: "S1-a" });
    expect(back.status).toBe(400);
    const unknownAction = await send(suite.t.app, "POST", `${base("bad")}/corrections`, { action: "explode" });
    expect(unknownAction.status).toBe(400);
  });
});
