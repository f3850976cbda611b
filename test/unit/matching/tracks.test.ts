import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, type Vec3 } from "../../../src/domain/geometry.ts";
import type { StudyForDomain } from "../../../src/domain/observation.ts";
import { deriveTracks } from "../../../src/domain/matching/tracks.ts";
import { MATCHER_CONFIG } from "../../../src/domain/matching/weights.ts";
import { obs, rng, separatedPoints } from "./helpers.ts";
import { shuffled as shuffle } from "../../../src/domain/random.ts";

/**
 * A patient whose studies see the lesions listed in `present` (study by study), each study in
 * its own frame (random shift); lesions lie farther apart than the gate (3 units = 60 mm + 1.5 x
 * long axis at equal size), so a new lesion is not taken for a vanished one.
 */
function shiftedPatient(seed: number, present: readonly (readonly number[])[], idOf: (k: number, l: number, rand: () => number) => string): { studies: StudyForDomain[]; lesionOf: Map<string, number> } {
  const rand = rng(seed);
  const pts = separatedPoints(rand, 5, 150, [130, 100, 250]);
  const sizes = pts.map(() => 10 + rand() * 25);
  const lesionOf = new Map<string, number>();
  const studies = present.map((lesions, k) => {
    const shift: Vec3 = k === 0 ? [0, 0, 0] : [(rand() * 2 - 1) * 40, (rand() * 2 - 1) * 40, (rand() * 2 - 1) * 150];
    const observations = lesions.map((l) => {
      const id = idOf(k, l, rand);
      lesionOf.set(id, l);
      const noise: Vec3 = [rand() * 4 - 2, rand() * 4 - 2, rand() * 4 - 2];
      return obs(id, add(add(pts[l]!, shift), noise), sizes[l]! * (0.85 + rand() * 0.3));
    });
    return { key: `study-${k}`, timeDays: 90 * k, observations };
  });
  return { studies, lesionOf };
}

/** 4 studies: L0..L3 at baseline; L3 is missing in study 2 and back in study 3; L4 is new in study 2. */
const patient = (seed: number): ReturnType<typeof shiftedPatient> =>
  shiftedPatient(seed, [[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 4], [0, 1, 2, 3, 4]], (k, l, rand) => `s${k}-l${l}-${Math.floor(rand() * 1e6)}`);

describe("deriveTracks", () => {
  it("follows a shifted 4-study patient: one track per lesion, new / vanished / reappeared events", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { studies, lesionOf } = patient(seed);
        const d = deriveTracks({ studies });
        expect(d.tracks).toHaveLength(5);
        for (const t of d.tracks) expect(new Set(t.observations.map((o) => lesionOf.get(o.observationId))).size).toBe(1);
        const trackOfLesion = (l: number) => d.tracks.find((t) => lesionOf.get(t.observations[0]!.observationId) === l)!;
        expect(d.tracks.map((t) => t.label)).toEqual(["T01", "T02", "T03", "T04", "T05"]);
        expect(trackOfLesion(3).observations.map((o) => o.studyKey)).toEqual(["study-0", "study-1", "study-3"]);
        const ev = d.events.map((e) => `${e.studyKey}:${e.type}:${e.trackIds.join(",")}`).sort();
        expect(ev).toEqual(
          [`study-2:new:${trackOfLesion(4).trackId}`, `study-2:vanished:${trackOfLesion(3).trackId}`, `study-3:reappeared:${trackOfLesion(3).trackId}`].sort(),
        );
        expect(d.links.every((l) => l.source === "matcher" && l.confidence >= 0 && l.confidence <= 1)).toBe(true);
        expect(d.alignments.map((a) => `${a.fromStudyKey}>${a.toStudyKey}`)).toEqual(["study-0>study-1", "study-1>study-2", "study-2>study-3"]);
      }),
      { numRuns: 40 },
    );
  });

  it("gives identical output for any input order of studies", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed, orderSeed) => {
        const { studies } = patient(seed);
        const rand = rng(orderSeed);
        const shuffled = shuffle(studies, rand).map((s) => ({ ...s, observations: shuffle(s.observations, rand) }));
        expect(deriveTracks({ studies: shuffled })).toEqual(deriveTracks({ studies }));
      }),
      { numRuns: 30 },
    );
  });

  it("tracks lesions given only in normalised body coordinates, without any shift", () => {
    const n = (id: string, p: Vec3, size: number) => obs(id, [0, 0, 0], size, { positionMm: null, positionNormalized: p });
    const studies: StudyForDomain[] = [
      { key: "b", timeDays: 100, observations: [n("b-liver", [0.31, 0.52, 0.41], 22), n("b-lung", [0.7, 0.3, 0.2], 14), n("b-new", [0.5, 0.8, 0.8], 9)] },
      { key: "a", timeDays: 0, observations: [n("a-lung", [0.71, 0.31, 0.2], 12), n("a-liver", [0.3, 0.5, 0.4], 20)] },
    ];
    const d = deriveTracks({ studies });
    expect(d.tracks.map((t) => t.observations.map((o) => o.observationId))).toEqual([["a-liver", "b-liver"], ["a-lung", "b-lung"], ["b-new"]]);
    expect(d.alignments).toEqual([{ fromStudyKey: "a", toStudyKey: "b", shiftMm: [0, 0, 0], inliers: 2, ambiguous: false }]);
    expect(d.events).toEqual([{ studyKey: "b", type: "new", trackIds: ["trk_b-new"], observationIds: ["b-new"] }]);
  });

  it("keeps track ids of earlier studies when a later study is added", () => {
    const { studies } = patient(7);
    const first = deriveTracks({ studies: studies.slice(0, 3) });
    const all = deriveTracks({ studies });
    for (const t of first.tracks) expect(all.tracks.find((u) => u.trackId === t.trackId)?.label).toBe(t.label);
  });
});

describe("deriveTracks with people's corrections", () => {
  const { studies, lesionOf } = patient(11);
  const idOf = (k: number, l: number) => studies[k]!.observations.find((o) => lesionOf.get(o.id) === l)!.id;
  const trackWith = (d: ReturnType<typeof deriveTracks>, id: string) => d.tracks.filter((t) => t.observations.some((o) => o.observationId === id));

  it("forces a mustLink with source person and confidence 1, even against the geometry", () => {
    const d = deriveTracks({ studies, constraints: { mustLink: [[idOf(0, 0), idOf(1, 1)]] } });
    const t = trackWith(d, idOf(0, 0))[0]!;
    expect(t.observations.map((o) => o.observationId)).toContain(idOf(1, 1));
    const link = d.links.find((l) => l.toObservationId === idOf(1, 1))!;
    expect(link).toMatchObject({ fromObservationId: idOf(0, 0), source: "person", confidence: 1 });
    expect(Number.isFinite(link.cost)).toBe(true);
  });

  it("never puts a cannotLink pair in one track", () => {
    const d = deriveTracks({ studies, constraints: { cannotLink: [[idOf(1, 2), idOf(0, 2)]] } });
    const t = trackWith(d, idOf(0, 2))[0]!;
    expect(t.observations.map((o) => o.observationId)).not.toContain(idOf(1, 2));
    expect(d.links.some((l) => l.toObservationId === idOf(1, 2) && l.fromObservationId === idOf(0, 2))).toBe(false);
  });

  it("records a merge (two tracks into one observation) with a CDISC-style label", () => {
    const d = deriveTracks({ studies, constraints: { mustLink: [[idOf(2, 0), idOf(3, 0)], [idOf(2, 1), idOf(3, 0)]] } });
    const merged = trackWith(d, idOf(3, 0)).find((t) => t.observations[0]!.observationId === idOf(3, 0))!;
    expect(merged.label).toBe("T01/T02");
    const e = d.events.find((x) => x.type === "merge")!;
    expect(e.observationIds).toEqual([idOf(2, 0), idOf(2, 1), idOf(3, 0)]);
    expect(d.links.filter((l) => l.toObservationId === idOf(3, 0)).map((l) => l.source)).toEqual(["person", "person"]);
  });

  it("records a split (one observation into two of a later study) as T01.1 and T01.2", () => {
    const d = deriveTracks({ studies, constraints: { mustLink: [[idOf(2, 0), idOf(3, 0)], [idOf(3, 1), idOf(2, 0)]] } });
    const e = d.events.find((x) => x.type === "split")!;
    expect(e.observationIds[0]).toBe(idOf(2, 0));
    const labels = e.trackIds.slice(1).map((id) => d.tracks.find((t) => t.trackId === id)!.label);
    expect(labels).toEqual(["T01.1", "T01.2"]);
    // The parent track ends at the split; T02 (lesion 1) no longer continues into study 3.
    expect(d.tracks.find((t) => t.label === "T01")!.observations.at(-1)!.observationId).toBe(idOf(2, 0));
  });
});

describe("deriveTracks: gap bridging", () => {
  /** 7 studies: L0..L3 in every study; L4 in studies 0-1, unseen in 2-4 (longer than the 2-study evidence window), back in 5-6. */
  const gapPatient = (seed: number): ReturnType<typeof shiftedPatient> =>
    shiftedPatient(seed, Array.from({ length: 7 }, (_, k) => (k >= 2 && k <= 4 ? [0, 1, 2, 3] : [0, 1, 2, 3, 4])), (k, l) => `s${k}-l${l}`);

  it("rejoins a lesion unseen for longer than the evidence window: one track, reported as reappeared", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { studies, lesionOf } = gapPatient(seed);
        const d = deriveTracks({ studies });
        expect(d.tracks).toHaveLength(5);
        for (const t of d.tracks) expect(new Set(t.observations.map((o) => lesionOf.get(o.observationId))).size).toBe(1);
        const back = d.events.filter((e) => e.type === "reappeared");
        expect(back).toEqual([expect.objectContaining({ studyKey: "study-5", observationIds: ["s5-l4"] })]);
        expect(d.events.some((e) => e.type === "new")).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it("without bridging (reach = window) the same lesion comes back as a new track", () => {
    const { studies } = gapPatient(7);
    const d = deriveTracks({ studies, config: { ...MATCHER_CONFIG, gapBridgeStudies: MATCHER_CONFIG.evidenceWindow } });
    expect(d.tracks).toHaveLength(6);
    expect(d.events.filter((e) => e.type === "new").map((e) => e.observationIds)).toEqual([["s5-l4"]]);
  });
});
