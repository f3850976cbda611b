import { type Vec3, add, subtract } from "../geometry.ts";
import type { Observation, StudyForDomain } from "../observation.ts";
import { pairCost } from "./cost.ts";
import { matchObservations, pairKey } from "./match.ts";
import { type ForcedPlan, planConstraints } from "./track-constraints.ts";
import { MATCHER_CONFIG, type MatcherConfig } from "./weights.ts";

export interface TrackObservationRef {
  studyKey: string;
  observationId: string;
}

export interface Track {
  /** Stable id derived from the track's first observation id. */
  trackId: string;
  /** "T01", "T02"... by first appearance; "T04.1" after a split, "T02/T03" after a merge (CDISC TU style). */
  label: string;
  observations: TrackObservationRef[];
}

export interface TrackLink {
  fromObservationId: string;
  toObservationId: string;
  /** Dimensionless matcher cost of the pair (also computed for people's links). */
  cost: number;
  /** Calibrated probability in [0, 1]; 1 for people's links. */
  confidence: number;
  source: "matcher" | "person";
}

export interface TrackEvent {
  studyKey: string;
  type: "new" | "vanished" | "reappeared" | "merge" | "split";
  trackIds: string[];
  observationIds: string[];
}

export interface StudyAlignment {
  fromStudyKey: string;
  toStudyKey: string;
  /** mm: positions of the later study ≈ positions of the earlier study + shift. */
  shiftMm: Vec3;
  inliers: number;
  ambiguous: boolean;
}

export interface TrackDerivation {
  tracks: Track[];
  links: TrackLink[];
  events: TrackEvent[];
  alignments: StudyAlignment[];
}

export interface TrackConstraints {
  /** Observation pairs (in different studies) that are the same lesion: forced links. */
  mustLink?: [string, string][];
  /** Observation pairs that are not the same lesion: never in one track. Wins over mustLink. */
  cannotLink?: [string, string][];
}

/** Mutable state of one track while studies are processed in time order. */
export interface TrackState {
  trackId: string;
  label: string;
  observations: TrackObservationRef[];
  head: Observation;
  headStudy: number;
  ended: boolean;
  members: Set<string>;
}

const compareStudies = (a: StudyForDomain, b: StudyForDomain): number =>
  a.timeDays - b.timeDays || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const byId = (a: Observation, b: Observation): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A head observation moved into the frame of study `to` (offsets are per study, from the first). */
const inFrame = (o: Observation, offset: Vec3): Observation =>
  o.positionMm ? { ...o, positionMm: add(o.positionMm, offset) } : o;

/**
 * Multi-time-point tracks: studies sorted by (timeDays, key); each study is aligned to and
 * matched against the heads (last observations) of ALL live tracks, with a penalty per
 * skipped study; people's corrections always win (mustLink forced, cannotLink forbidden,
 * merges and splits from several mustLinks). Same output for any input order of studies.
 */
export function deriveTracks(input: {
  studies: StudyForDomain[];
  constraints?: TrackConstraints;
  config?: MatcherConfig;
}): TrackDerivation {
  const config = input.config ?? MATCHER_CONFIG;
  const studies = [...input.studies].sort(compareStudies).map((s) => ({ ...s, observations: [...s.observations].sort(byId) }));
  const tracks: TrackState[] = [];
  const links: TrackLink[] = [];
  const events: TrackEvent[] = [];
  const alignments: StudyAlignment[] = [];
  const offsets: Vec3[] = [];
  const trackOf = new Map<string, TrackState>();
  let nextLabel = 1;

  const start = (o: Observation, k: number, label?: string): TrackState => {
    const t: TrackState = {
      trackId: `trk_${o.id}`,
      label: label ?? `T${String(nextLabel++).padStart(2, "0")}`,
      observations: [{ studyKey: studies[k]!.key, observationId: o.id }],
      head: o,
      headStudy: k,
      ended: false,
      members: new Set([o.id]),
    };
    tracks.push(t);
    trackOf.set(o.id, t);
    return t;
  };
  const extend = (t: TrackState, o: Observation, k: number): void => {
    t.observations.push({ studyKey: studies[k]!.key, observationId: o.id });
    t.head = o;
    t.headStudy = k;
    t.members.add(o.id);
    trackOf.set(o.id, t);
  };

  studies.forEach((study, k) => {
    if (k === 0) {
      offsets.push([0, 0, 0]);
      for (const o of study.observations) start(o, 0);
      return;
    }
    const live = tracks.filter((t) => !t.ended);
    const plan: ForcedPlan = planConstraints(study.observations, live, trackOf, input.constraints);
    const prevOffset = offsets[k - 1]!;
    const heads = plan.matchable.tracks.map((t) => inFrame(t.head, subtract(prevOffset, offsets[t.headStudy]!)));
    const result = matchObservations({
      earlier: heads,
      later: plan.matchable.observations,
      skipped: plan.matchable.tracks.map((t) => k - 1 - t.headStudy),
      forbidden: plan.forbidden,
      forced: plan.forced,
      config,
    });
    const shift = result.alignment.shiftMm;
    offsets.push(add(prevOffset, shift));
    alignments.push({ fromStudyKey: studies[k - 1]!.key, toStudyKey: study.key, ...result.alignment });
    const costOf = (t: TrackState, o: Observation): number =>
      pairCost(inFrame(t.head, subtract(prevOffset, offsets[t.headStudy]!)), o, { shiftMm: shift, skippedStudies: k - 1 - t.headStudy }, config.cost).total;
    const obsById = new Map(study.observations.map((o) => [o.id, o]));
    const continued = new Set<TrackState>();

    for (const p of result.pairs) {
      const t = trackOf.get(p.a)!;
      const forced = plan.forced.has(pairKey(p.a, p.b));
      const from = (forced ? plan.fromIdFor.get(p.b) : undefined) ?? t.head.id;
      links.push({ fromObservationId: from, toObservationId: p.b, cost: p.cost, confidence: forced ? 1 : p.confidence, source: forced ? "person" : "matcher" });
      if (t.headStudy < k - 1) events.push({ studyKey: study.key, type: "reappeared", trackIds: [t.trackId], observationIds: [p.b] });
      extend(t, obsById.get(p.b)!, k);
      continued.add(t);
    }
    for (const m of plan.merges) {
      const o = obsById.get(m.observationId)!;
      const parents = m.tracks;
      for (const t of parents) {
        links.push({ fromObservationId: t.head.id, toObservationId: o.id, cost: costOf(t, o), confidence: 1, source: "person" });
        t.ended = true;
        continued.add(t);
      }
      const child = start(o, k, parents.map((t) => t.label).join("/"));
      events.push({ studyKey: study.key, type: "merge", trackIds: [...parents.map((t) => t.trackId), child.trackId], observationIds: [...parents.map((t) => t.head.id), o.id] });
    }
    for (const s of plan.splits) {
      const parent = s.track;
      const children = s.observationIds.map((id, n) => {
        const o = obsById.get(id)!;
        links.push({ fromObservationId: parent.head.id, toObservationId: id, cost: costOf(parent, o), confidence: 1, source: "person" });
        return start(o, k, `${parent.label}.${n + 1}`);
      });
      events.push({ studyKey: study.key, type: "split", trackIds: [parent.trackId, ...children.map((c) => c.trackId)], observationIds: [parent.head.id, ...s.observationIds] });
      parent.ended = true;
      continued.add(parent);
    }
    const linked = new Set([...result.pairs.map((p) => p.b), ...plan.merges.map((m) => m.observationId), ...plan.splits.flatMap((s) => s.observationIds)]);
    for (const o of study.observations) {
      if (linked.has(o.id)) continue;
      const t = start(o, k);
      events.push({ studyKey: study.key, type: "new", trackIds: [t.trackId], observationIds: [o.id] });
    }
    for (const t of live) {
      if (!continued.has(t) && t.headStudy === k - 1) {
        events.push({ studyKey: study.key, type: "vanished", trackIds: [t.trackId], observationIds: [t.head.id] });
      }
    }
  });

  return {
    tracks: tracks.map((t) => ({ trackId: t.trackId, label: t.label, observations: t.observations })),
    links,
    events,
    alignments,
  };
}
