// fast-check generators of contract cases: small, mostly valid, with every observation kind.
import fc from "fast-check";
import type { Case, FollowUp, NewLesionObs, TargetObs } from "../../../src/domain/recist/index.ts";

const ORGANS = ["liver", "lung", "kidney", "bone", "spleen"];
const STATUSES = ["present", "absent", "unequivocal_progression", "not_evaluated"] as const;

/** ISO date `days` after 2024-01-01. */
export const isoAfter = (days: number): string => new Date(Date.UTC(2024, 0, 1 + days)).toISOString().slice(0, 10);

const tenths = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((t) => t / 10);

const targetObs = (id: string): fc.Arbitrary<TargetObs | null> =>
  fc.oneof(
    { weight: 6, arbitrary: tenths(0, 600).map((value): TargetObs => ({ id, status: "measured", value })) },
    { weight: 1, arbitrary: fc.array(tenths(1, 200), { minLength: 2, maxLength: 3 }).map((fragments): TargetObs => ({ id, status: "measured", fragments })) },
    { weight: 1, arbitrary: fc.constant<TargetObs>({ id, status: "tstm" }) },
    { weight: 2, arbitrary: fc.constant<TargetObs>({ id, status: "disappeared" }) },
    { weight: 1, arbitrary: fc.constant<TargetObs>({ id, status: "not_evaluated" }) },
    { weight: 1, arbitrary: fc.constant(null) },
  );

const newLesion = (id: string): fc.Arbitrary<NewLesionObs> =>
  fc.record({
    equivocal: fc.boolean(), measurable: fc.boolean(), value: tenths(50, 300),
    status: fc.constantFrom(...STATUSES), increasedSinceLast: fc.boolean(),
  }).map((r) => ({
    id, organ: "lung", equivocal: r.equivocal, measurable: r.measurable, status: r.status, increasedSinceLast: r.increasedSinceLast,
    ...(r.measurable ? { value: r.value } : {}),
  }));

/** A case with 0-3 targets, 0-2 non-targets and 0-6 follow-ups at increasing dates. */
export const arbCase: fc.Arbitrary<Case> = fc.record({
  targets: fc.array(fc.record({ nodal: fc.boolean(), organ: fc.constantFrom(...ORGANS), value: tenths(150, 800) }), { maxLength: 3 }),
  nonTargets: fc.array(fc.record({ nodal: fc.boolean(), organ: fc.constantFrom(...ORGANS) }), { maxLength: 2 }),
  gaps: fc.array(fc.integer({ min: 7, max: 70 }), { maxLength: 6 }),
  criteria: fc.constantFrom("RECIST1.1" as const, "iRECIST" as const),
  requireConfirmation: fc.boolean(),
  seed: fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean(), fc.boolean()), { minLength: 6, maxLength: 6 }),
}).chain((r) => {
  const targets = r.targets.map((t, i) => ({ id: `t${i}`, organ: t.organ, nodal: t.nodal, value: t.value }));
  const nonTargets = r.nonTargets.map((t, i) => ({ id: `nt${i}`, organ: t.organ, nodal: t.nodal }));
  if (targets.length === 0 && nonTargets.length === 0) nonTargets.push({ id: "nt0", organ: "liver", nodal: false });
  let day = 0;
  const dates = r.gaps.map((g) => isoAfter((day += g)));
  const followUp = (date: string, i: number): fc.Arbitrary<FollowUp> =>
    fc.record({
      targets: fc.tuple(...targets.map((t) => targetObs(t.id))),
      nonTargets: fc.tuple(...nonTargets.map((n) => fc.record({ status: fc.constantFrom(...STATUSES), inc: fc.boolean() }).map((x) => ({ id: n.id, status: x.status, increasedSinceLast: x.inc })))),
      newLesions: fc.array(fc.constantFrom("n1", "n2", "n3"), { maxLength: 2 }).chain((ids) => fc.tuple(...[...new Set(ids)].map(newLesion))),
      markers: fc.boolean(),
    }).map((f) => ({
      date, tumorMarkersAboveNormal: f.markers, symptomDriven: r.seed[i]?.[1] ?? false,
      targets: f.targets.filter((x): x is TargetObs => x !== null), nonTargets: [...f.nonTargets], newLesions: [...f.newLesions],
    }));
  return fc.tuple(...dates.map(followUp)).map((followUps): Case => ({
    id: "prop",
    params: { criteria: r.criteria, requireConfirmation: r.requireConfirmation },
    input: { baseline: { date: isoAfter(0), targets, nonTargets }, followUps: [...followUps] },
  }));
});
