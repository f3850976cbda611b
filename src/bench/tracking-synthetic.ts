import { performance } from "node:perf_hooks";
import type { Vec3 } from "../domain/geometry.ts";
import { gaussian, seededRandom } from "../domain/random.ts";
import type { StudyRecord } from "../domain/timeline/types.ts";
import { mm } from "../domain/units.ts";
import { derive, timeStats } from "./tracking-eval.ts";

/**
 * A seeded synthetic patient: `lesions` lesions in a 300 x 250 x 600 mm box, seen in `studies`
 * studies, each study in its own frame (shift up to 40 / 40 / 200 mm), positions with 3 mm noise,
 * sizes drifting; every lesion is missed in 1 of 10 studies.
 */
export function syntheticPatient(studies = 14, lesions = 10, seed = 11): StudyRecord[] {
  const rnd = seededRandom(seed);
  const centres: Vec3[] = Array.from({ length: lesions }, () => [rnd() * 300, rnd() * 250, rnd() * 600]);
  const sizes = centres.map(() => 8 + rnd() * 30);
  return Array.from({ length: studies }, (_, k) => {
    const shift: Vec3 = k === 0 ? [0, 0, 0] : [(rnd() * 2 - 1) * 40, (rnd() * 2 - 1) * 40, (rnd() * 2 - 1) * 200];
    const observations = centres.flatMap((c, l) => {
      if (k > 0 && rnd() < 0.1) return [];
      const size = sizes[l]! * Math.exp(0.1 * gaussian(rnd));
      return [{
        id: `S${String(k + 1).padStart(2, "0")}/${l + 1}`,
        positionMm: [c[0] + shift[0] + 3 * gaussian(rnd), c[1] + shift[1] + 3 * gaussian(rnd), c[2] + shift[2] + 3 * gaussian(rnd)] as Vec3,
        longAxisMm: mm(size), shortAxisMm: mm(size * 0.7), nodal: false,
      }];
    });
    return {
      key: `S${String(k + 1).padStart(2, "0")}`, date: null, dayOffset: k * 56, orderIndex: null, ageYears: null,
      timeDays: k * 56, timeAxis: "dayOffset" as const, modality: "CT", sliceThicknessMm: null, observations,
    };
  });
}

/** Re-derivation time (ms) of the synthetic patient, `reps` times after 3 warm-up runs. */
export function syntheticDerivationMs(reps = 50, seed = 11): { mean: number; p99: number; max: number; observations: number } {
  const studies = syntheticPatient(14, 10, seed);
  for (let w = 0; w < 3; w++) derive(studies);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    derive(studies);
    times.push(performance.now() - t);
  }
  return { ...timeStats(times), observations: studies.reduce((n, s) => n + s.observations.length, 0) };
}
