import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GROWTH_MODELS, GROWTH_MODEL_NAMES } from "../../../src/domain/growth/models.ts";

const TIMES = [0, 14, 45, 90, 181, 365, 600];

/** A parameter vector inside the model's box, from unit draws. */
const inBox = (min: readonly number[], max: readonly number[], u: number[]): number[] => min.map((lo, j) => lo + (max[j]! - lo) * u[j]!);

describe("model curves (the fit's batch evaluation)", () => {
  for (const name of GROWTH_MODEL_NAMES) {
    it(`${name}: equal to diameterMm bit for bit, also when a rate is reused from a cached call`, () => {
      const model = GROWTH_MODELS[name];
      const k = model.params.length;
      const unit = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: k, maxLength: k });
      fc.assert(
        fc.property(fc.array(unit, { minLength: 1, maxLength: 6 }), (draws) => {
          // One evaluator for every draw, as the fit uses it; each draw is followed by a probe
          // that moves only the size, so its rates come from the evaluator's cache.
          const curve = model.curve(TIMES);
          const out = new Float64Array(TIMES.length);
          const vectors = draws.map((u) => inBox(model.min, model.max, u)).flatMap((p) => [p, p.map((v, j) => (j === 0 ? v * 1.5 : v))]);
          for (const p of vectors) {
            curve(p, out);
            TIMES.forEach((t, i) => expect(Object.is(out[i], model.diameterMm(p, t))).toBe(true));
          }
        }),
        { numRuns: 50 },
      );
    });
  }
});
