// Threshold properties on the boundary itself: every case lands exactly on a protocol threshold
// (percent, absolute mm, node size, day count, lesion count) drawn from a range, and one step
// (0.1 mm, 1 day, 1 lesion) to the other side, so `>=` read as `>` (or the reverse) fails.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateCase, type BaselineTarget, type Case, type FollowUp, type Params, type Result } from "../../../src/domain/recist/index.ts";
import { isoAfter } from "./arbitrary.ts";

const mm = (tenths: number): number => tenths / 10;

/** Splits a sum in tenths into `n` positive parts (the first takes the remainder). */
function split(total: number, n: number): number[] {
  const part = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? total - part * (n - 1) : part));
}

const targets = (valuesTenths: number[], nodal = false): BaselineTarget[] =>
  valuesTenths.map((v, i) => ({ id: `t${i}`, organ: `organ${i}`, nodal, value: mm(v) }));

const followUp = (day: number, valuesTenths: number[]): FollowUp => ({
  date: isoAfter(day),
  targets: valuesTenths.map((v, i) => ({ id: `t${i}`, status: "measured" as const, value: mm(v) })),
  nonTargets: [],
  newLesions: [],
});

function evaluate(params: Partial<Params>, baseline: BaselineTarget[], followUps: FollowUp[]): Result {
  const c: Case = { params, input: { baseline: { date: isoAfter(0), targets: baseline, nonTargets: [] }, followUps } };
  const r = evaluateCase(c);
  expect(r.validationErrors).toEqual([]);
  return r;
}

/** Target response at the only follow-up, with the baseline split over `n` targets. */
function targetAt(params: Partial<Params>, baselineTenths: number, followTenths: number, n: number): string | undefined {
  return evaluate(params, targets(split(baselineTenths, n)), [followUp(56, split(followTenths, n))]).timepoints![0]!.targetResponse ?? undefined;
}

const lesions = fc.integer({ min: 1, max: 3 });

describe("PD boundary (spec §6 rule 4): +pdThresholdPct % and +pdAbsoluteMm over the nadir", () => {
  it("exactly +P % is PD when the absolute rule holds; 0.1 mm less is not", () => {
    fc.assert(fc.property(fc.integer({ min: 5, max: 50 }), fc.integer({ min: 1, max: 8 }), lesions, (pct, k, n) => {
      const base = 100 * k * n; // tenths; base * pct / 100 is a whole number of tenths
      const onBoundary = base + k * n * pct;
      const absoluteMm = Math.floor((k * n * pct) / 10); // the absolute rule holds at the boundary
      const params = { pdThresholdPct: pct, pdAbsoluteMm: absoluteMm };
      expect(targetAt(params, base, onBoundary, n)).toBe("PD");
      expect(targetAt(params, base, onBoundary - 1, n)).not.toBe("PD");
    }), { numRuns: 60 });
  });

  it("exactly +A mm is PD when the percent rule holds; 0.1 mm less is not", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 20 }), fc.integer({ min: 5, max: 30 }), lesions, (absoluteMm, pct, n) => {
      // Largest baseline whose pct % is below A - 0.1 mm (each target >= 10 mm), so only the absolute rule decides.
      const base = Math.max(100 * n, Math.floor(((10 * absoluteMm - 1) * 100) / pct));
      fc.pre(1000 * (base + 10 * absoluteMm - 1) >= (1000 + 10 * pct) * base);
      const params = { pdThresholdPct: pct, pdAbsoluteMm: absoluteMm };
      expect(targetAt(params, base, base + 10 * absoluteMm, n)).toBe("PD");
      expect(targetAt(params, base, base + 10 * absoluteMm - 1, n)).not.toBe("PD");
    }), { numRuns: 60 });
  });

  it("measures growth from the nadir, not from baseline: on the boundary after a response", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 6 }), (k) => {
      const base = 1000 * k;
      const nadir = 500 * k; // -50 %: PR, new nadir
      const onBoundary = nadir + 100 * k; // +20 % of the nadir, 10 k mm >= 5 mm
      const r = evaluate({}, targets([base]), [followUp(56, [nadir]), followUp(112, [onBoundary])]);
      expect(r.timepoints![1]!.targetResponse).toBe("PD");
      const below = evaluate({}, targets([base]), [followUp(56, [nadir]), followUp(112, [onBoundary - 1])]);
      expect(below.timepoints![1]!.targetResponse).toBe("PR");
    }));
  });
});

describe("PR boundary (spec §6 rule 6): -prThresholdPct % from baseline", () => {
  it("exactly -Q % is PR; 0.1 mm more is SD", () => {
    fc.assert(fc.property(fc.integer({ min: 5, max: 90 }), fc.integer({ min: 1, max: 8 }), lesions, (pct, k, n) => {
      const base = 100 * k * n;
      const onBoundary = base - k * n * pct;
      const params = { prThresholdPct: pct };
      expect(targetAt(params, base, onBoundary, n)).toBe("PR");
      expect(targetAt(params, base, onBoundary + 1, n)).toBe("SD");
    }), { numRuns: 60 });
  });
});

describe("lymph nodes (spec §6, §10.1): pathologicalNodeMm", () => {
  const node = fc.integer({ min: 50, max: 150 }); // tenths: 5.0 .. 15.0 mm

  it("every node below the threshold is CR; one node exactly at it is not", () => {
    fc.assert(fc.property(node, lesions, (threshold, n) => {
      const params = { pathologicalNodeMm: mm(threshold), minTargetNodeMm: 15, maxTargetsPerOrgan: 3 };
      const baseline = targets(Array(n).fill(200), true);
      const below = Array(n).fill(threshold - 1);
      expect(evaluate(params, baseline, [followUp(56, below)]).timepoints![0]!.targetResponse).toBe("CR");
      const atOne = below.map((v, i) => (i === 0 ? threshold : v));
      expect(evaluate(params, baseline, [followUp(56, atOne)]).timepoints![0]!.targetResponse).not.toBe("CR");
    }), { numRuns: 40 });
  });

  it("nodes below the threshold with one node not evaluated are NE, not CR", () => {
    const baseline = targets([200, 200], true);
    const f: FollowUp = { ...followUp(56, [50]), targets: [{ id: "t0", status: "measured", value: 5 }, { id: "t1", status: "not_evaluated" }] };
    expect(evaluate({ maxTargetsPerOrgan: 2 }, baseline, [f]).timepoints![0]!.targetResponse).toBe("NE");
  });

  it("after a CR a node back at exactly the threshold is PD; 0.1 mm below stays CR", () => {
    fc.assert(fc.property(node, (threshold) => {
      const params = { pathologicalNodeMm: mm(threshold) };
      const baseline = targets([200], true);
      const cr = followUp(56, [threshold - 1]);
      expect(evaluate(params, baseline, [cr, followUp(112, [threshold])]).timepoints![1]!.targetResponse).toBe("PD");
      expect(evaluate(params, baseline, [cr, followUp(112, [threshold - 1])]).timepoints![1]!.targetResponse).toBe("CR");
    }), { numRuns: 40 });
  });
});

describe("reappearance after a CR (spec §6 rule 1)", () => {
  it("one non-nodal target back at 0.1 mm is PD while the others stay at 0; all at 0 stays CR", () => {
    fc.assert(fc.property(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 0, max: 2 }), (n, back) => {
      fc.pre(back < n);
      const baseline = targets(Array(n).fill(200));
      const cr = followUp(56, Array(n).fill(0));
      const one = Array.from({ length: n }, (_, i) => (i === back ? 1 : 0));
      expect(evaluate({}, baseline, [cr, followUp(112, one)]).timepoints![1]!.targetResponse).toBe("PD");
      expect(evaluate({}, baseline, [cr, followUp(112, Array(n).fill(0))]).timepoints![1]!.targetResponse).toBe("CR");
    }), { numRuns: 20 });
  });
});

describe("baseline measurability (spec §3.3)", () => {
  const codes = (c: Case) => evaluateCase(c).validationErrors.map((e) => e.code);
  const at = (t: BaselineTarget[], params: Partial<Params>, sliceThicknessMm?: number): Case => ({
    params,
    input: { baseline: { date: isoAfter(0), targets: t, nonTargets: [], ...(sliceThicknessMm === undefined ? {} : { sliceThicknessMm }) }, followUps: [] },
  });

  it("a lesion exactly minMeasurableMm long is measurable; 0.1 mm shorter is not", () => {
    fc.assert(fc.property(fc.integer({ min: 50, max: 300 }), (min) => {
      const params = { minMeasurableMm: mm(min) };
      expect(codes(at(targets([min]), params))).toEqual([]);
      expect(codes(at(targets([min - 1]), params))).toEqual(["TARGET_NOT_MEASURABLE"]);
    }), { numRuns: 40 });
  });

  it("a node exactly minTargetNodeMm on its short axis is a target; 0.1 mm less is not", () => {
    fc.assert(fc.property(fc.integer({ min: 100, max: 300 }), (min) => {
      const params = { minTargetNodeMm: mm(min) };
      expect(codes(at(targets([min], true), params))).toEqual([]);
      expect(codes(at(targets([min - 1], true), params))).toEqual(["TARGET_NODE_TOO_SMALL"]);
    }), { numRuns: 40 });
  });

  it("slices thicker than 5 mm need twice the slice thickness; exactly 5 mm slices do not", () => {
    fc.assert(fc.property(fc.integer({ min: 51, max: 100 }), (slice) => {
      expect(codes(at(targets([2 * slice]), {}, mm(slice)))).toEqual([]);
      expect(codes(at(targets([2 * slice - 1]), {}, mm(slice)))).toEqual(["TARGET_NOT_MEASURABLE"]);
    }), { numRuns: 30 });
    expect(codes(at(targets([100]), {}, 5))).toEqual([]); // 10 mm at 5 mm slices: only the 10 mm rule
  });

  it("exactly maxTargets and maxTargetsPerOrgan are allowed; one more is not", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), (max, perOrgan) => {
      const spread = targets(Array(max).fill(150));
      expect(codes(at(spread, { maxTargets: max }))).toEqual([]);
      expect(codes(at(targets(Array(max + 1).fill(150)), { maxTargets: max }))).toEqual(["TOO_MANY_TARGETS"]);
      const oneOrgan = (k: number) => Array.from({ length: k }, (_, i) => ({ id: `t${i}`, organ: "liver", nodal: false, value: 15 }));
      expect(codes(at(oneOrgan(perOrgan), { maxTargetsPerOrgan: perOrgan }))).toEqual([]);
      expect(codes(at(oneOrgan(perOrgan + 1), { maxTargetsPerOrgan: perOrgan, maxTargets: 10 }))).toEqual(["TOO_MANY_TARGETS_PER_ORGAN"]);
    }), { numRuns: 30 });
  });
});

describe("day counts (spec §12): sdMinDays and confirmMinDays", () => {
  it("SD exactly sdMinDays after baseline makes best response SD; one day earlier NE", () => {
    fc.assert(fc.property(fc.integer({ min: 7, max: 120 }), (days) => {
      const params = { sdMinDays: days };
      const bor = (day: number) => evaluate(params, targets([300]), [followUp(day, [300])]).bestOverallResponse!;
      expect(bor(days)).toEqual({ unconfirmed: "SD", confirmed: "SD" });
      expect(bor(days - 1)).toEqual({ unconfirmed: "NE", confirmed: "NE" });
    }), { numRuns: 40 });
  });

  it("a PR repeated exactly confirmMinDays later is confirmed; one day earlier is not", () => {
    fc.assert(fc.property(fc.integer({ min: 7, max: 90 }), (days) => {
      const params = { confirmMinDays: days, sdMinDays: 1000 };
      const confirmed = (gap: number) =>
        evaluate(params, targets([300]), [followUp(30, [150]), followUp(30 + gap, [150])]).bestOverallResponse!.confirmed;
      expect(confirmed(days)).toBe("PR");
      expect(confirmed(days - 1)).not.toBe("PR");
    }), { numRuns: 40 });
  });
});
