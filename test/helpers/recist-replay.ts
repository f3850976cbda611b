// A RECIST engine case said through the HTTP API: studies with one observation per lesion, designations, flags, links.
import type { Case, FollowUpFlags } from "../../src/domain/recist/index.ts";

type Flags = Required<Pick<FollowUpFlags, "tooSmallToMeasure" | "equivocalNew" | "notEvaluated" | "disappeared" | "increasedSinceLast">> & Pick<FollowUpFlags, "tumorMarkersAboveNormal" | "symptomDriven" | "nonTargetStatus">;

interface Observation { id: string; positionMm: [number, number, number]; longAxisMm: number; shortAxisMm: number; organ: string; lesionType: string; nodal: boolean }

/** What to send, with lesions named by the observation that starts their track (resolved to track ids after ingest). */
export interface ReplayPlan {
  protocol: Record<string, unknown>;
  patient: { referenceDate?: string };
  studies: { studyKey: string; study: { date: string; sliceThicknessMm?: number; observations: Observation[] } }[];
  /** Links a person confirms: a split (parent -> each fragment), a merge (each lesion -> the merged one), a return after a gap. */
  confirmLinks: [string, string][];
  designations: { lesionId: string; role: "target" | "non-target" }[];
  /** Per study key, flags naming lesion ids. */
  flags: Record<string, Flags>;
  /** Lesion id -> id of its first observation. */
  firstObservation: Map<string, string>;
}

export type Replay = { ok: true; plan: ReplayPlan } | { ok: false; reason: string };

const round1 = (x: number): number => Math.round(x * 10) / 10;
const studyKey = (k: number): string => `S${String(k).padStart(2, "0")}`;

/**
 * Builds the requests for one case. Each lesion sits at its own far-apart position (matching is
 * trivial); sizes: long axis (non-nodal) or short axis (nodes, long axis +5 mm); non-targets 15 mm
 * (nodes 12 mm short axis); a non-measurable new lesion half the protocol's minimum. Statuses
 * become observations or flags; a target missing from a follow-up is left unflagged (read as NE).
 */
export function planReplay(c: Case): Replay {
  const { baseline, followUps } = c.input;
  const dates = [baseline.date, ...followUps.map((f) => f.date)];
  if (dates.some((d, i) => i > 0 && d <= dates[i - 1]!)) {
    return { ok: false, reason: "dates not increasing: the API orders a patient's studies by date, so a follow-up dated on or before its predecessor cannot be sent in that order" };
  }
  const targetIds = new Set(baseline.targets.map((t) => t.id));
  const nonTargetIds = new Set(baseline.nonTargets.map((t) => t.id));
  for (const f of followUps) {
    const unknown = [...f.targets.filter((t) => !targetIds.has(t.id) || (t.status === "merged" && !targetIds.has(t.mergedInto))), ...f.nonTargets.filter((n) => !nonTargetIds.has(n.id))];
    if (unknown.length > 0) return { ok: false, reason: "unknown lesion ids: through the API every lesion is a track of the patient, and ids that are no track are refused" };
  }
  const minMeasurable = typeof c.params.minMeasurableMm === "number" ? c.params.minMeasurableMm : 10;
  // The service classes a new lesion once, at its first sighting, by its size (NLT if measurable,
  // within maxTargets / maxTargetsPerOrgan), and keeps the class while it shrinks (§13.1).
  const newLesionClass = new Map<string, boolean>();
  for (const f of followUps) {
    for (const n of f.newLesions) {
      if (n.status !== "present" && n.status !== "unequivocal_progression") continue;
      if (n.measurable && n.value === undefined) return { ok: false, reason: "a measurable new lesion without a size" };
      const first = newLesionClass.get(n.id);
      if (first === undefined) {
        if (n.measurable !== (n.value !== undefined && n.value >= minMeasurable)) return { ok: false, reason: "a new lesion classed against its size at first sighting: the service classes it by its size then" };
        newLesionClass.set(n.id, n.measurable);
      } else if (first !== n.measurable) return { ok: false, reason: "a new lesion whose class changes: the service keeps the class of its first sighting" };
    }
  }

  const lesionIds = [...baseline.targets.map((t) => t.id), ...baseline.nonTargets.map((t) => t.id)];
  for (const f of followUps) for (const n of f.newLesions) if (!lesionIds.includes(n.id)) lesionIds.push(n.id);
  const position = (id: string, fragment = -1): [number, number, number] => {
    const i = lesionIds.indexOf(id);
    return [(i % 4) * 300 - 450, Math.floor(i / 4) * 300 - 300, fragment < 0 ? 0 : 20 + fragment * 20];
  };
  const nodal = new Map([...baseline.targets, ...baseline.nonTargets].map((l) => [l.id, l.nodal]));
  const organ = new Map([...baseline.targets, ...baseline.nonTargets].map((l) => [l.id, l.organ]));
  const obs = (k: number, id: string, diameter: number, isNodal: boolean, lesionOrgan: string, fragment = -1): Observation => ({
    id: `${studyKey(k)}~${id}${fragment < 0 ? "" : `~f${fragment}`}`,
    positionMm: position(id, fragment),
    longAxisMm: isNodal ? round1(diameter + 5) : diameter,
    shortAxisMm: isNodal ? diameter : round1(diameter / 2),
    organ: lesionOrgan, lesionType: lesionOrgan, nodal: isNodal,
  });

  const plan: ReplayPlan = {
    protocol: c.params as Record<string, unknown>,
    patient: c.input.referenceDate ? { referenceDate: c.input.referenceDate } : {},
    studies: [],
    confirmLinks: [],
    designations: [...baseline.targets.map((t) => ({ lesionId: t.id, role: "target" as const })), ...baseline.nonTargets.map((t) => ({ lesionId: t.id, role: "non-target" as const }))],
    flags: {},
    firstObservation: new Map(),
  };
  /** Observation ids of each lesion at the latest study where it was seen (fragments: several). */
  const lastSeen = new Map<string, string[]>();
  const baselineObs = [
    ...baseline.targets.map((t) => obs(0, t.id, t.value, t.nodal, t.organ)),
    ...baseline.nonTargets.map((n) => obs(0, n.id, n.nodal ? 12 : 15, n.nodal, n.organ)),
  ];
  plan.studies.push({ studyKey: studyKey(0), study: { date: baseline.date, ...(baseline.sliceThicknessMm !== undefined ? { sliceThicknessMm: baseline.sliceThicknessMm } : {}), observations: baselineObs } });
  for (const o of baselineObs) {
    const id = o.id.split("~")[1]!;
    plan.firstObservation.set(id, o.id);
    lastSeen.set(id, [o.id]);
  }

  followUps.forEach((f, i) => {
    const k = i + 1;
    const key = studyKey(k);
    const flags: Flags = { tooSmallToMeasure: [], equivocalNew: [], notEvaluated: [], disappeared: [], increasedSinceLast: [] };
    if (f.tumorMarkersAboveNormal !== undefined) flags.tumorMarkersAboveNormal = f.tumorMarkersAboveNormal;
    if (f.symptomDriven !== undefined) flags.symptomDriven = f.symptomDriven;
    const status = (id: string, s: "unequivocal_progression") => (flags.nonTargetStatus = { ...flags.nonTargetStatus, [id]: s });
    const observations: Observation[] = [];
    const seenNow = new Map<string, string[]>();
    const see = (id: string, o: Observation[]) => {
      observations.push(...o);
      seenNow.set(id, o.map((x) => x.id));
    };
    for (const t of f.targets) {
      const isNodal = nodal.get(t.id)!;
      if (t.status === "measured" && "value" in t) {
        if (t.value > 0) see(t.id, [obs(k, t.id, t.value, isNodal, organ.get(t.id)!)]);
        else flags.disappeared.push(t.id);
      } else if (t.status === "measured") {
        const pieces = t.fragments.flatMap((v, j) => (v > 0 ? [obs(k, t.id, v, isNodal, organ.get(t.id)!, j)] : []));
        see(t.id, pieces);
        // The split happens where the lesion was one observation before.
        if ((lastSeen.get(t.id) ?? []).length === 1) for (const p of pieces) plan.confirmLinks.push([lastSeen.get(t.id)![0]!, p.id]);
      } else if (t.status === "tstm") flags.tooSmallToMeasure.push(t.id);
      else if (t.status === "disappeared") flags.disappeared.push(t.id);
      else if (t.status === "not_evaluated") flags.notEvaluated.push(t.id);
    }
    for (const t of f.targets) {
      if (t.status !== "merged") continue;
      const into = seenNow.get(t.mergedInto);
      const before = lastSeen.get(t.id);
      if (into === undefined) flags.disappeared.push(t.id); // merged into a lesion that is gone: 0 mm either way
      else if (before !== undefined && before[0]!.startsWith(studyKey(k - 1))) {
        for (const b of before) plan.confirmLinks.push([b, into[0]!]);
        const intoBefore = lastSeen.get(t.mergedInto);
        if (intoBefore) for (const b of intoBefore) plan.confirmLinks.push([b, into[0]!]);
      }
    }
    for (const n of baseline.nonTargets) {
      const o = f.nonTargets.find((x) => x.id === n.id);
      if (o === undefined || o.status === "not_evaluated") flags.notEvaluated.push(n.id);
      else if (o.status !== "absent") see(n.id, [obs(k, n.id, n.nodal ? 12 : 15, n.nodal, n.organ)]);
      if (o?.status === "unequivocal_progression") status(n.id, "unequivocal_progression");
      if (o?.increasedSinceLast) flags.increasedSinceLast.push(n.id);
    }
    for (const n of f.newLesions) {
      if (n.status === "present" || n.status === "unequivocal_progression") {
        see(n.id, [obs(k, n.id, n.measurable ? n.value! : round1(minMeasurable / 2), false, n.organ)]);
        if (!plan.firstObservation.has(n.id)) plan.firstObservation.set(n.id, seenNow.get(n.id)![0]!);
        if (n.equivocal) flags.equivocalNew.push(n.id);
      } else if (n.status === "not_evaluated" && plan.firstObservation.has(n.id)) flags.notEvaluated.push(n.id);
      if (n.status === "unequivocal_progression") status(n.id, "unequivocal_progression");
      if (n.increasedSinceLast && plan.firstObservation.has(n.id)) flags.increasedSinceLast.push(n.id);
    }
    for (const [id, o] of seenNow) {
      // A lesion back after a gap (e.g. 20 mm, gone, back at 3 mm): a reader confirms the link the matcher may not make.
      const before = lastSeen.get(id);
      if (before?.length === 1 && o.length === 1 && !before[0]!.startsWith(studyKey(k - 1))) plan.confirmLinks.push([before[0]!, o[0]!]);
      lastSeen.set(id, o);
    }
    plan.studies.push({ studyKey: key, study: { date: f.date, observations } });
    plan.flags[key] = flags;
  });
  const unique = new Map(plan.confirmLinks.map((l) => [l.join(" "), l]));
  plan.confirmLinks = [...unique.values()];
  return { ok: true, plan };
}
