/**
 * Track lineage for RECIST (spec recist.md §4): which tracks stand for which lesion after a
 * person's split or merge. The matcher ends a parent track at a split/merge and starts child
 * tracks ("T04.1", "T04.2"; "T02/T03"); for RECIST the children are pieces of the lesion(s) they
 * descend from, never new lesions.
 */

/** One child track and the track(s) it continues. A split gives one entry per child. */
export interface LineageLink {
  /** The track(s) that ended here: one for a split, two or more for a merge. */
  parentTrackIds: string[];
  childTrackId: string;
  kind: "split" | "merge";
  /** The study where the child starts (the parents' tracks end before it). */
  studyKey: string;
}

/** The part of the matcher's TrackEvent this needs (structural, so callers need not import it). */
export interface TrackEventLike {
  studyKey: string;
  type: string;
  trackIds: readonly string[];
}

/**
 * Lineage from the matcher's events (matching/tracks.ts): a split lists [parent, ...children],
 * a merge lists [...parents, child]; other events carry no lineage.
 */
export function lineageFromEvents(events: readonly TrackEventLike[]): LineageLink[] {
  const out: LineageLink[] = [];
  for (const e of events) {
    if (e.type === "split" && e.trackIds.length >= 2) {
      const [parent, ...children] = e.trackIds;
      for (const c of children) out.push({ parentTrackIds: [parent!], childTrackId: c, kind: "split", studyKey: e.studyKey });
    } else if (e.type === "merge" && e.trackIds.length >= 2) {
      out.push({ parentTrackIds: e.trackIds.slice(0, -1), childTrackId: e.trackIds.at(-1)!, kind: "merge", studyKey: e.studyKey });
    }
  }
  return out;
}

export interface ResolvedLineage {
  /** True when the track continues known parent track(s), i.e. it is a piece of another lesion. */
  hasParents(trackId: string): boolean;
  /** The root tracks (no known parent) the track descends from, in track order; itself when it has no parent. */
  roots(trackId: string): readonly string[];
  /**
   * The tracks that stand for a root at study index k, in track order: the root and its
   * descendants that have started (child: at its lineage study) and not yet ended (parent: ends
   * at the first study where one of its children starts).
   */
  pieces(rootId: string, k: number): readonly string[];
}

/**
 * Resolves lineage transitively over any depth (a split child that later merges, a merged lesion
 * that later splits...). Links naming unknown tracks or studies are dropped (an unknown study
 * falls back to the child's first sighting); a track with no known parent is its own root.
 * Cycles (impossible from the matcher) are cut by visiting each track once.
 */
export function resolveLineage(
  trackIds: readonly string[],
  studyKeys: readonly string[],
  links: readonly LineageLink[],
  firstSeen: (trackId: string) => number | undefined,
): ResolvedLineage {
  const order = new Map(trackIds.map((id, i) => [id, i]));
  const studyIndex = new Map(studyKeys.map((k, i) => [k, i]));
  const parentsOf = new Map<string, Set<string>>();
  const childrenOf = new Map<string, Set<string>>();
  const start = new Map<string, number>();
  const end = new Map<string, number>();
  for (const l of links) {
    if (!order.has(l.childTrackId)) continue;
    const parents = l.parentTrackIds.filter((p) => order.has(p) && p !== l.childTrackId);
    const at = studyIndex.get(l.studyKey) ?? firstSeen(l.childTrackId);
    if (parents.length === 0 || at === undefined) continue;
    const c = l.childTrackId;
    start.set(c, Math.min(start.get(c) ?? at, at));
    for (const p of parents) {
      parentsOf.set(c, (parentsOf.get(c) ?? new Set()).add(p));
      childrenOf.set(p, (childrenOf.get(p) ?? new Set()).add(c));
      end.set(p, Math.min(end.get(p) ?? at, at));
    }
  }
  const byOrder = (ids: Iterable<string>): string[] => [...ids].sort((a, b) => order.get(a)! - order.get(b)!);
  const walk = (from: string, next: Map<string, Set<string>>): Set<string> => {
    const seen = new Set<string>([from]);
    const stack = [from];
    while (stack.length > 0) {
      for (const n of next.get(stack.pop()!) ?? []) if (!seen.has(n)) { seen.add(n); stack.push(n); }
    }
    return seen;
  };
  const rootsCache = new Map<string, string[]>();
  const roots = (id: string): string[] => {
    let r = rootsCache.get(id);
    if (r === undefined) {
      r = byOrder([...walk(id, parentsOf)].filter((x) => (parentsOf.get(x)?.size ?? 0) === 0));
      if (r.length === 0) r = [id];
      rootsCache.set(id, r);
    }
    return r;
  };
  const descendants = new Map<string, string[]>();
  return {
    hasParents: (id) => (parentsOf.get(id)?.size ?? 0) > 0,
    roots,
    pieces(rootId, k) {
      let all = descendants.get(rootId);
      if (all === undefined) {
        all = order.has(rootId) ? byOrder(walk(rootId, childrenOf)) : [rootId];
        descendants.set(rootId, all);
      }
      return all.filter((id) => (start.get(id) ?? 0) <= k && k < (end.get(id) ?? Infinity));
    },
  };
}
