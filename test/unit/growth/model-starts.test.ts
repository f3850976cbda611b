// The fit's starting points (models.ts `starts`): inside the parameter box, beginning at the
// observed first diameter, and spread so growing, flat and shrinking courses each have one.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GROWTH_MODELS, GROWTH_MODEL_NAMES } from "../../../src/domain/growth/models.ts";

const diameter = fc.double({ min: 1, max: 200, noNaN: true });

describe("starting points of the fit", () => {
  for (const name of GROWTH_MODEL_NAMES) {
    it(`${name}: every start has one value per parameter, inside the box, with d0 = the first diameter`, () => {
      const model = GROWTH_MODELS[name];
      fc.assert(fc.property(diameter, diameter, diameter, (first, last, extra) => {
        const largest = Math.max(first, last, extra);
        const starts = model.starts(first, last, largest);
        expect(starts.length).toBeGreaterThanOrEqual(3);
        for (const s of starts) {
          expect(s).toHaveLength(model.params.length);
          s.forEach((v, j) => {
            expect(v).toBeGreaterThanOrEqual(model.min[j]!);
            expect(v).toBeLessThanOrEqual(model.max[j]!);
          });
          expect(s[0]).toBe(first);
        }
      }), { numRuns: 50 });
    });
  }

  it("saturating models start once near the last size, once above the largest and once below the last", () => {
    for (const name of ["logistic", "gompertz", "classicalBertalanffy", "generalBertalanffy"] as const) {
      const carrying = GROWTH_MODELS[name].starts(10, 30, 40).map((s) => s[1]!);
      expect(carrying).toContain(30);
      expect(carrying.some((d) => d > 40)).toBe(true);
      expect(carrying.some((d) => d < 30)).toBe(true);
    }
    expect(GROWTH_MODELS.generalBertalanffy.starts(10, 30, 40).every((s) => s[3] === 1 / 3)).toBe(true); // classical shape
  });

  it("the exponential model starts flat, shrinking and growing", () => {
    const rates = GROWTH_MODELS.exponential.starts(10, 12, 12).map((s) => Math.sign(s[1]!));
    expect(rates.sort()).toEqual([-1, 0, 1]);
  });

  it("a vanished lesion still starts at a positive size (0.5 mm), which the box allows", () => {
    for (const name of GROWTH_MODEL_NAMES) for (const s of GROWTH_MODELS[name].starts(0, 0, 0)) expect(s[0]).toBe(0.5);
  });
});
