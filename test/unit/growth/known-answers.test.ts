// Known answers from outside the code: closed forms worked by hand at parameters chosen so the
// exponentials are powers of 1/2, and the general Bertalanffy ODE of TumorGrowth.jl
// (dv/dt = omega * boxcox(lambda, vInf / v) * v) integrated numerically, not by its solution.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bertalanffyVolume, GROWTH_MODELS } from "../../../src/domain/growth/models.ts";

const LN2 = Math.log(2);
/** Half-life 100 days: exp(-omega * 100) = 1/2. */
const OMEGA = LN2 / 100;

/**
 * d0 = 10 mm, dInf = 20 mm, t = 100 days (so exp(-omega t) = 1/2), in diameters:
 * - classical Bertalanffy: d / dInf = 1 + (d0 / dInf - 1) / 2 = 0.75 -> 15 mm
 * - Gompertz: d = dInf * (d0 / dInf)^(1/2) = 20 / sqrt 2 = 14.1421356... mm
 * - logistic: V = VInf / (1 + (VInf / V0 - 1) / 2) = 8000 / 4.5 -> d = 20 / cbrt 4.5 = 12.1141373 mm
 * - general, lambda = 2/3: (d / dInf)^2 = 1 + (1/4 - 1) / 2 = 5/8 -> d = 20 sqrt(5/8) = 15.8113883 mm
 * - general, lambda = -1/3: dInf / d = 1 + (2 - 1) / 2 = 3/2 -> d = 40 / 3 mm
 */
const HAND_WORKED: { name: keyof typeof GROWTH_MODELS; p: number[]; t: number; d: number }[] = [
  { name: "classicalBertalanffy", p: [10, 20, OMEGA], t: 100, d: 15 },
  { name: "classicalBertalanffy", p: [10, 20, OMEGA], t: 200, d: 17.5 }, // 1 - 0.5 / 4
  { name: "gompertz", p: [10, 20, OMEGA], t: 100, d: 20 / Math.SQRT2 },
  { name: "gompertz", p: [10, 20, OMEGA], t: 200, d: 20 * 0.5 ** 0.25 }, // (1/2)^(1/4)
  { name: "logistic", p: [10, 20, OMEGA], t: 100, d: 12.114137285547598 },
  { name: "logistic", p: [10, 20, OMEGA], t: 200, d: 20 / Math.cbrt(1 + 7 / 4) },
  { name: "generalBertalanffy", p: [10, 20, OMEGA, 2 / 3], t: 100, d: 15.811388300841898 },
  { name: "generalBertalanffy", p: [10, 20, OMEGA, -1 / 3], t: 100, d: 40 / 3 },
  { name: "generalBertalanffy", p: [10, 20, OMEGA, 1 / 3], t: 100, d: 15 },
  { name: "generalBertalanffy", p: [10, 20, OMEGA, 0], t: 100, d: 20 / Math.SQRT2 },
  { name: "generalBertalanffy", p: [10, 20, OMEGA, -1], t: 100, d: 12.114137285547598 },
  // Shrinking towards a smaller carrying size: d / dInf = 1 + (30 / 15 - 1) / 2 = 1.5 -> 22.5 mm.
  { name: "classicalBertalanffy", p: [30, 15, OMEGA], t: 100, d: 22.5 },
  // Exponential: V doubles every 30 days, so after 90 days V = 8 V0 and d = 2 d0.
  { name: "exponential", p: [10, LN2 / 30], t: 90, d: 20 },
  { name: "exponential", p: [10, -LN2 / 30], t: 90, d: 5 },
  // Stein-Fojo: V0 (exp(-d t) + exp(g t) - 1) = 1000 (1/4 + 2 - 1) = 1250 -> cbrt 1250 = 10.7721735 mm.
  { name: "steinFojo", p: [10, LN2 / 50, LN2 / 100], t: 100, d: 10.772173450159418 },
  { name: "steinFojo", p: [10, LN2 / 50, 0], t: 100, d: 10 * Math.cbrt(0.25) },
  // Sensitive part gone, resistant part not yet grown: V0 (1/2 + 1 - 1) at d = ln 2 / t, g = 0.
  { name: "steinFojo", p: [8, LN2 / 40, 0], t: 40, d: 8 * Math.cbrt(0.5) },
];

describe("growth models at hand-worked parameters and times", () => {
  for (const { name, p, t, d } of HAND_WORKED) {
    it(`${name}(${p.map((v) => +v.toPrecision(4)).join(", ")}) at ${t} days is ${d.toFixed(4)} mm`, () => {
      expect(GROWTH_MODELS[name].diameterMm(p, t)).toBeCloseTo(d, 9);
      const out = new Float64Array(1);
      GROWTH_MODELS[name].curve([t])(p, out);
      expect(out[0]).toBeCloseTo(d, 9);
    });
  }

  it("every model starts at d0 and the saturating ones end at dInf", () => {
    const AT: Record<keyof typeof GROWTH_MODELS, number[]> = {
      exponential: [12, 0.01], steinFojo: [12, 0.01, 0.002], logistic: [12, 30, OMEGA], gompertz: [12, 30, OMEGA],
      classicalBertalanffy: [12, 30, OMEGA], generalBertalanffy: [12, 30, OMEGA, 0.5],
    };
    for (const model of Object.values(GROWTH_MODELS)) {
      const p = AT[model.name];
      expect(model.diameterMm(p, 0)).toBeCloseTo(12, 10);
      if (model.params[1] === "dInfMm") expect(model.diameterMm(p, 1e5)).toBeCloseTo(30, 6);
    }
  });

  it("a volume that cannot stay positive is 0 (lambda > 0) or unbounded (lambda < 0)", () => {
    // With a negative rate, 1 + ((v0/vInf)^lambda - 1) e^{-omega t} crosses 0 in finite time:
    // classical Bertalanffy below its carrying size collapses, logistic above it explodes.
    expect(bertalanffyVolume(1, 8, -0.1, 1 / 3, 100)).toBe(0); // 1 - 0.5 e^10 < 0
    expect(bertalanffyVolume(8, 1, -0.1, -1, 100)).toBe(Infinity); // 1 - (7/8) e^10 < 0
    expect(GROWTH_MODELS.steinFojo.diameterMm([10, 0.1, 0], 1000)).toBe(0); // V0 (0 + 1 - 1) = 0
    expect(GROWTH_MODELS.exponential.diameterMm([10, 0.1], 1e4)).toBe(Infinity); // exp(1000) overflows
  });

  it("a lesion of size 0 stays 0, also where the Gompertz term is 0 x infinity", () => {
    for (const t of [0, 50, 1e4]) {
      expect(GROWTH_MODELS.gompertz.diameterMm([0, 20, 0.1], t)).toBe(0);
      expect(GROWTH_MODELS.exponential.diameterMm([0, 0.05], t)).toBe(0);
    }
  });
});

/** boxcox of TumorGrowth.jl's odes.jl: (x^lambda - 1) / lambda, log x at lambda = 0. */
const boxcox = (lambda: number, x: number): number => (lambda === 0 ? Math.log(x) : (x ** lambda - 1) / lambda);

/** Classical fourth-order Runge-Kutta on dv/dt = omega boxcox(lambda, vInf / v) v. */
function integrateBertalanffy(v0: number, vInf: number, omega: number, lambda: number, t: number): number {
  const f = (v: number) => omega * boxcox(lambda, vInf / v) * v;
  // Steps short against the fastest relative rate (at the start), so RK4's error stays below 1e-9.
  const steps = Math.max(4000, Math.ceil(50 * t * Math.abs(f(v0) / v0)));
  const h = t / steps;
  let v = v0;
  for (let i = 0; i < steps; i++) {
    const k1 = f(v);
    const k2 = f(v + (h / 2) * k1);
    const k3 = f(v + (h / 2) * k2);
    const k4 = f(v + h * k3);
    v += (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return v;
}

describe("general Bertalanffy against its ODE, solved numerically", () => {
  it("agrees to 1e-6 relative over the fit's parameter box", () => {
    const arb = fc.record({
      d0: fc.double({ min: 3, max: 60, noNaN: true }),
      dInf: fc.double({ min: 3, max: 80, noNaN: true }),
      omega: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      lambda: fc.constantFrom(-1, -0.5, 0, 1 / 3, 0.75, 1),
      t: fc.integer({ min: 1, max: 400 }),
    });
    fc.assert(fc.property(arb, ({ d0, dInf, omega, lambda, t }) => {
      const v0 = d0 ** 3;
      const vInf = dInf ** 3;
      const expected = integrateBertalanffy(v0, vInf, omega, lambda, t);
      expect(Math.abs(bertalanffyVolume(v0, vInf, omega, lambda, t) - expected)).toBeLessThan(1e-6 * expected);
    }), { numRuns: 60 });
  });
});
