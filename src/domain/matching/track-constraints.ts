import type { Observation } from "../observation.ts";
import { pairKey } from "./match.ts";
import type { TrackConstraints, TrackState } from "./tracks.ts";

/** What people's corrections mean for one new study, before the matcher runs. */
export interface ForcedPlan {
  /** Track heads and new observations left to the matcher. */
  matchable: { tracks: TrackState[]; observations: Observation[] };
  /** pairKey(head id, new id) the matcher must link. */
  forced: Set<string>;
  /** pairKey(head id, new id) the matcher must not link. */
  forbidden: Set<string>;
  /** One new observation continuing several tracks. */
  merges: { observationId: string; tracks: TrackState[] }[];
  /** One track continued by several new observations (ids sorted). */
  splits: { track: TrackState; observationIds: string[] }[];
  /** For forced links that a person stated from an older observation of the track: new id -> that id. */
  fromIdFor: Map<string, string>;
}

/**
 * Turn mustLink / cannotLink pairs into forced and forbidden head-to-observation pairs for one
 * new study. A pair on both lists counts as cannotLink. mustLinks to tracks that already ended
 * (by a merge or split) are ignored.
 */
export function planConstraints(
  studyObservations: readonly Observation[],
  live: readonly TrackState[],
  trackOf: ReadonlyMap<string, TrackState>,
  constraints: TrackConstraints | undefined,
): ForcedPlan {
  const inStudy = new Set(studyObservations.map((o) => o.id));
  const liveSet = new Set(live);
  const order = new Map(live.map((t, i) => [t, i]));
  const cannot = new Set((constraints?.cannotLink ?? []).flatMap(([u, v]) => [pairKey(u, v), pairKey(v, u)]));
  // Orient a pair as (earlier x in a live track, y in this study).
  const orient = ([u, v]: [string, string]): { x: string; y: string; t: TrackState } | null => {
    for (const [x, y] of [[u, v], [v, u]] as const) {
      const t = trackOf.get(x);
      if (inStudy.has(y) && t && liveSet.has(t)) return { x, y, t };
    }
    return null;
  };

  const forbidden = new Set<string>();
  for (const pair of constraints?.cannotLink ?? []) {
    const o = orient(pair);
    if (o) forbidden.add(pairKey(o.t.head.id, o.y));
  }
  const byY = new Map<string, Set<TrackState>>();
  const byT = new Map<TrackState, Set<string>>();
  const fromIdFor = new Map<string, string>();
  for (const pair of constraints?.mustLink ?? []) {
    if (cannot.has(pairKey(pair[0], pair[1]))) continue;
    const o = orient(pair);
    if (!o || forbidden.has(pairKey(o.t.head.id, o.y))) continue;
    byY.set(o.y, (byY.get(o.y) ?? new Set()).add(o.t));
    byT.set(o.t, (byT.get(o.t) ?? new Set()).add(o.y));
    if (o.x !== o.t.head.id) fromIdFor.set(o.y, o.x);
  }

  const sortTracks = (ts: Iterable<TrackState>): TrackState[] => [...ts].sort((p, q) => order.get(p)! - order.get(q)!);
  const merges = [...byY.entries()]
    .filter(([, ts]) => ts.size >= 2)
    .map(([observationId, ts]) => ({ observationId, tracks: sortTracks(ts) }))
    .sort((p, q) => (p.observationId < q.observationId ? -1 : 1));
  const involved = new Set<TrackState>(merges.flatMap((m) => m.tracks));
  const mergedYs = new Set(merges.map((m) => m.observationId));
  const splits = sortTracks(byT.keys())
    .filter((t) => !involved.has(t))
    .map((track) => ({ track, observationIds: [...byT.get(track)!].filter((y) => !mergedYs.has(y)).sort() }))
    .filter((s) => s.observationIds.length >= 2);
  for (const s of splits) involved.add(s.track);
  const taken = new Set([...mergedYs, ...splits.flatMap((s) => s.observationIds)]);

  const forced = new Set<string>();
  for (const [t, ys] of byT) {
    if (involved.has(t)) continue;
    const y = [...ys].find((id) => !taken.has(id));
    if (y !== undefined) forced.add(pairKey(t.head.id, y));
  }
  return {
    matchable: { tracks: live.filter((t) => !involved.has(t)), observations: studyObservations.filter((o) => !taken.has(o.id)) },
    forced,
    forbidden,
    merges,
    splits,
    fromIdFor,
  };
}
