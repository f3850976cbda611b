import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, type Vec3 } from "../../../src/domain/geometry.ts";
import type { StudyForDomain } from "../../../src/domain/observation.ts";
import { deriveTracks } from "../../../src/domain/matching/tracks.ts";
import { obs, rng, separatedPoints } from "./helpers.ts";
import { shuffled as shuffle } from "../../../src/domain/random.ts";

/**
 * A 5-study patient: up to 6 lesions, each present in a study with probability 0.8, sizes
 * drifting, every study in its own frame, and lesions close enough (50 mm apart) that the
 * matcher has real choices to make.
 */
function patient(seed: number): StudyForDomain[] {
  const rand = rng(seed);
  const n = 3 + Math.floor(rand() * 4);
  const pts = separatedPoints(rand, n, 50, [120, 100, 200]);
  const sizes = pts.map(() => 8 + rand() * 25);
  return Array.from({ length: 5 }, (_, k) => {
    const shift: Vec3 = k === 0 ? [0, 0, 0] : [(rand() * 2 - 1) * 30, (rand() * 2 - 1) * 30, (rand() * 2 - 1) * 100];
    const observations = pts.flatMap((p, l) => {
      if (rand() > 0.8) return [];
      const noise: Vec3 = [rand() * 8 - 4, rand() * 8 - 4, rand() * 8 - 4];
      return [obs(`s${k}-l${l}`, add(add(p, shift), noise), sizes[l]! * (0.7 + rand() * 0.6))];
    });
    return { key: `study-${k}`, timeDays: 60 * k, observations };
  });
}

/** Random people's links: musts and cannots between observations of different studies, no observation in two of them. */
function corrections(studies: readonly StudyForDomain[], rand: () => number): { mustLink: [string, string][]; cannotLink: [string, string][] } {
  const ids = shuffle(studies.flatMap((s) => s.observations.map((o) => ({ id: o.id, study: s.key }))), rand);
  const mustLink: [string, string][] = [];
  const cannotLink: [string, string][] = [];
  for (let k = 0; k + 1 < ids.length && mustLink.length + cannotLink.length < 4; k += 2) {
    const [x, y] = [ids[k]!, ids[k + 1]!];
    if (x.study === y.study) continue;
    (rand() < 0.5 ? mustLink : cannotLink).push([x.id, y.id]);
  }
  return { mustLink, cannotLink };
}

describe("whole-history association (properties)", () => {
  it("gives the same tracks, links and events for any arrival order of studies and observations", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed, orderSeed) => {
        const studies = patient(seed);
        const constraints = corrections(studies, rng(seed ^ 0x5bd1e995));
        const rand = rng(orderSeed);
        const reordered = shuffle(studies, rand).map((s) => ({ ...s, observations: shuffle(s.observations, rand) }));
        expect(deriveTracks({ studies: reordered, constraints })).toEqual(deriveTracks({ studies, constraints }));
      }),
      { numRuns: 30 },
    );
  });

  it("keeps people's corrections through re-association: a confirmed link is a person's link, a forbidden pair never shares a track", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const studies = patient(seed);
        const constraints = corrections(studies, rng(seed ^ 0x27d4eb2f));
        const d = deriveTracks({ studies, constraints });
        const trackOf = new Map(d.tracks.flatMap((t) => t.observations.map((o) => [o.observationId, t.trackId] as const)));
        const studyIndex = new Map(studies.flatMap((s, k) => s.observations.map((o) => [o.id, k] as const)));
        for (const [u, v] of constraints.cannotLink) expect(trackOf.get(u), `${u} / ${v}`).not.toBe(trackOf.get(v));
        for (const [u, v] of constraints.mustLink) {
          const [from, to] = studyIndex.get(u)! < studyIndex.get(v)! ? [u, v] : [v, u];
          const link = d.links.find((l) => l.toObservationId === to && l.source === "person");
          expect(link, `${from} -> ${to}`).toBeDefined();
          expect(link!.confidence).toBe(1);
        }
        for (const l of d.links) expect(Number.isFinite(l.margin)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});
