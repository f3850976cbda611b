import type { HistoryEvidence } from "./evidence.ts";

/** A candidate merge of two groups (by their smallest unit index) with their summed evidence. */
type Candidate = [weight: number, a: number, b: number];

/** Max-heap order: more evidence first, then smaller unit indexes, so ties break the same way every time. */
const before = (p: Candidate, q: Candidate): boolean => p[0] > q[0] || (p[0] === q[0] && (p[1] < q[1] || (p[1] === q[1] && p[2] < q[2])));

function push(heap: Candidate[], c: Candidate): void {
  heap.push(c);
  for (let i = heap.length - 1; i > 0; ) {
    const up = (i - 1) >> 1;
    if (!before(heap[i]!, heap[up]!)) break;
    [heap[i], heap[up]] = [heap[up]!, heap[i]!];
    i = up;
  }
}

function pop(heap: Candidate[]): Candidate | undefined {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length === 0) return top;
  heap[0] = last;
  for (let i = 0; ; ) {
    const l = 2 * i + 1, r = l + 1;
    let m = i;
    if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
    if (m === i) break;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
  return top;
}

/**
 * One grouping of a whole history into lesions: greedy additive edge contraction (GAEC, a
 * correlation-clustering heuristic) on the summed pairwise evidence. People's links are merged
 * first; then the two groups with the most positive total evidence merge, unless that would put
 * two observations of one study in one group or join a forbidden pair. Evidence between groups
 * adds up, so a link every other study contradicts loses to the consistent one, and a lesion
 * missed in one study is rejoined by the studies around the gap.
 * @param mustLink, cannotLink pairs of unit indexes (people's links between their observations)
 * @returns per unit, the smallest unit index of its group
 */
export function groupHistory(ev: HistoryEvidence, mustLink: readonly [number, number][], cannotLink: readonly [number, number][]): Int32Array {
  const n = ev.units.length;
  const root = new Int32Array(n).map((_, i) => i);
  const find = (i: number): number => (root[i] === i ? i : (root[i] = find(root[i]!)));
  const members: number[][] = ev.units.map((_, i) => [i]);
  const studies: Set<number>[] = ev.units.map((u) => new Set([u.study]));
  const cannot = new Map<number, Set<number>>();
  for (const [u, v] of cannotLink) {
    cannot.set(u, (cannot.get(u) ?? new Set()).add(v));
    cannot.set(v, (cannot.get(v) ?? new Set()).add(u));
  }
  const adj: Map<number, number>[] = ev.evidence.map((vs) => new Map(vs));
  const conflict = (x: number, y: number): boolean => {
    const [small, large] = studies[x]!.size <= studies[y]!.size ? [x, y] : [y, x];
    for (const s of studies[small]!) if (studies[large]!.has(s)) return true;
    if (cannot.size === 0) return false;
    const other = new Set(members[y]);
    return members[x]!.some((u) => [...(cannot.get(u) ?? [])].some((v) => other.has(v)));
  };
  const heap: Candidate[] = [];
  const merge = (x: number, y: number): void => {
    const [r, o] = x < y ? [x, y] : [y, x];
    root[o] = r;
    members[r]!.push(...members[o]!);
    for (const s of studies[o]!) studies[r]!.add(s);
    const into = adj[r]!;
    into.delete(o);
    for (const [z, w] of adj[o]!) {
      if (z === r) continue;
      const sum = (into.get(z) ?? 0) + w;
      into.set(z, sum);
      adj[z]!.delete(o);
      adj[z]!.set(r, sum);
    }
    adj[o] = new Map();
    for (const [z, w] of into) if (w > 0) push(heap, [w, Math.min(r, z), Math.max(r, z)]);
  };
  for (const [u, v] of [...mustLink].sort((p, q) => p[0] - q[0] || p[1] - q[1])) {
    const x = find(u), y = find(v);
    if (x !== y && !conflict(x, y)) merge(x, y);
  }
  for (let i = 0; i < n; i++) {
    if (find(i) !== i) continue;
    for (const [j, w] of adj[i]!) if (w > 0 && i < j && find(j) === j) push(heap, [w, i, j]);
  }
  for (let c = pop(heap); c; c = pop(heap)) {
    const [w, a, b] = c;
    if (find(a) !== a || find(b) !== b || adj[a]!.get(b) !== w || conflict(a, b)) continue;
    merge(a, b);
  }
  return new Int32Array(n).map((_, i) => find(i));
}

/**
 * Whole-history margin of unit v in its group: its summed evidence with its group minus the
 * best alternative (its summed evidence with another group, or 0 for a lesion of its own).
 */
export function membershipMargin(ev: HistoryEvidence, groupOf: Int32Array, v: number): number {
  const sums = new Map<number, number>();
  for (const [x, e] of ev.evidence[v]!) sums.set(groupOf[x]!, (sums.get(groupOf[x]!) ?? 0) + e);
  const own = groupOf[v]!;
  let alt = 0;
  for (const [g, s] of sums) if (g !== own) alt = Math.max(alt, s);
  return (sums.get(own) ?? 0) - alt;
}
