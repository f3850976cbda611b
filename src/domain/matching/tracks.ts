import type { Vec3 } from "../geometry.ts";
import type { Observation, StudyForDomain } from "../observation.ts";
import { groupHistory, membershipMargin } from "./association.ts";
import { linkConfidence } from "./confidence.ts";
import { pairCost } from "./cost.ts";
import { historyEvidence } from "./evidence.ts";
import { pairKey } from "./match.ts";
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
  /** Cost units by which this link beats the best alternative (another partner or none); negative when it loses to one. */
  margin: number;
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
const NO_ALIGNMENT = { shiftMm: [0, 0, 0] as Vec3, inliers: 0, ambiguous: true };

/**
 * Multi-time-point tracks by association over the whole history. Evidence: every study is
 * matched with each of the `evidenceWindow` studies before it, each pair under its own
 * alignment, and a lesion that ends before a gap longer than that with one that starts after
 * it (gap bridging, up to `gapBridgeStudies` back; evidence.ts). Grouping: one partition of all observations, at most one per study
 * per lesion, maximising the summed evidence (association.ts), with people's links as hard
 * constraints. Tracks: the grouping walked in time order, so events (new, vanished,
 * reappeared) and people's merges and splits read as before. Studies are sorted by
 * (timeDays, key) and observations by id first, so any arrival order gives the same tracks.
 */
export function deriveTracks(input: {
  studies: StudyForDomain[];
  constraints?: TrackConstraints;
  config?: MatcherConfig;
}): TrackDerivation {
  const config = input.config ?? MATCHER_CONFIG;
  const studies = [...input.studies].sort(compareStudies).map((s) => ({ ...s, observations: [...s.observations].sort(byId) }));
  const ids = new Set(studies.flatMap((s) => s.observations.map((o) => o.id)));
  const known = (pairs: [string, string][] | undefined): [string, string][] => (pairs ?? []).filter(([u, v]) => ids.has(u) && ids.has(v));
  const cannotLink = known(input.constraints?.cannotLink);
  const cannotKeys = new Set(cannotLink.flatMap(([u, v]) => [pairKey(u, v), pairKey(v, u)]));
  const mustLink = known(input.constraints?.mustLink).filter(([u, v]) => !cannotKeys.has(pairKey(u, v)));
  const evidence = historyEvidence(studies, config, { mustLink, cannotLink });
  const nodeOf = new Map(evidence.observations.map((o, i) => [o.id, i]));
  const unitOf = (id: string): number => evidence.unitOf[nodeOf.get(id)!]!;
  const asUnits = (pairs: [string, string][]): [number, number][] => pairs.map(([u, v]) => [unitOf(u), unitOf(v)]);
  const unitGroup = groupHistory(evidence, asUnits(mustLink), asUnits(cannotLink));
  const groupOf = (id: string): number => unitGroup[unitOf(id)]!;

  const tracks: TrackState[] = [];
  const links: TrackLink[] = [];
  const events: TrackEvent[] = [];
  const alignments: StudyAlignment[] = [];
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
  // People's links to observations beyond the evidence window have no verdict: cost at no shift.
  const costOf = (from: Observation, to: Observation): number =>
    evidence.cost(nodeOf.get(from.id)!, nodeOf.get(to.id)!) ?? pairCost(from, to, { shiftMm: [0, 0, 0], skippedStudies: 0 }, config.cost).total;
  const link = (from: Observation, to: Observation, source: "matcher" | "person", fromId = from.id): void => {
    const cost = costOf(from, to);
    const margin = membershipMargin(evidence, unitGroup, unitOf(to.id));
    const confidence = source === "person" ? 1 : linkConfidence(cost, margin, config.trackConfidence);
    links.push({ fromObservationId: fromId, toObservationId: to.id, cost, confidence, margin, source });
  };

  studies.forEach((study, k) => {
    if (k === 0) {
      for (const o of study.observations) start(o, 0);
      return;
    }
    alignments.push({ fromStudyKey: studies[k - 1]!.key, toStudyKey: study.key, ...(evidence.alignments.get(`${k - 1}:${k}`) ?? NO_ALIGNMENT) });
    const live = tracks.filter((t) => !t.ended);
    const plan: ForcedPlan = planConstraints(study.observations, live, trackOf, input.constraints);
    const obsById = new Map(study.observations.map((o) => [o.id, o]));
    const continued = new Set<TrackState>();
    const linked = new Set<string>();
    const continueWith = (t: TrackState, o: Observation, source: "matcher" | "person"): void => {
      link(t.head, o, source, (source === "person" ? plan.fromIdFor.get(o.id) : undefined) ?? t.head.id);
      if (t.headStudy < k - 1) events.push({ studyKey: study.key, type: "reappeared", trackIds: [t.trackId], observationIds: [o.id] });
      extend(t, o, k);
      continued.add(t);
      linked.add(o.id);
    };
    for (const t of plan.matchable.tracks) {
      const o = plan.matchable.observations.find((y) => plan.forced.has(pairKey(t.head.id, y.id)));
      if (o) continueWith(t, o, "person");
    }
    // The grouping decides every other continuation: a track goes on with its group's observation
    // here; a lesion seen on several series continues as many tracks as it can, cheapest first.
    const candidates = plan.matchable.tracks.flatMap((t) =>
      continued.has(t)
        ? []
        : plan.matchable.observations
            .filter((o) => !linked.has(o.id) && groupOf(o.id) === groupOf(t.head.id) && !plan.forbidden.has(pairKey(t.head.id, o.id)))
            .map((o) => ({ t, o, cost: costOf(t.head, o) })),
    );
    candidates.sort((p, q) => p.cost - q.cost || (p.o.id < q.o.id ? -1 : p.o.id > q.o.id ? 1 : 0) || (p.t.trackId < q.t.trackId ? -1 : 1));
    for (const { t, o } of candidates) if (!continued.has(t) && !linked.has(o.id)) continueWith(t, o, "matcher");
    for (const m of plan.merges) {
      const o = obsById.get(m.observationId)!;
      const parents = m.tracks;
      for (const t of parents) {
        link(t.head, o, "person");
        t.ended = true;
        continued.add(t);
      }
      linked.add(o.id);
      const child = start(o, k, parents.map((t) => t.label).join("/"));
      events.push({ studyKey: study.key, type: "merge", trackIds: [...parents.map((t) => t.trackId), child.trackId], observationIds: [...parents.map((t) => t.head.id), o.id] });
    }
    for (const s of plan.splits) {
      const parent = s.track;
      const children = s.observationIds.map((id, n) => {
        const o = obsById.get(id)!;
        link(parent.head, o, "person");
        linked.add(id);
        return start(o, k, `${parent.label}.${n + 1}`);
      });
      events.push({ studyKey: study.key, type: "split", trackIds: [parent.trackId, ...children.map((c) => c.trackId)], observationIds: [parent.head.id, ...s.observationIds] });
      parent.ended = true;
      continued.add(parent);
    }
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
