import { performance } from "node:perf_hooks";
import { type Derivation, derivePatient } from "../domain/timeline/derive.ts";
import { compareStudies } from "../domain/timeline/time-axis.ts";
import type { CohortSettings, StudyRecord } from "../domain/timeline/types.ts";
import { seededRandom, shuffled } from "../domain/random.ts";
import { type PrfSummary, type TaskCounts, scoreTrack, summarize } from "./matching-metrics.ts";
import { ORDER_SCAN_INTERVAL_DAYS, type TrackingData, type TrackingPatient } from "./tracking-data.ts";

/** The settings `import csv --create-cohort` gives a new cohort. */
export const BENCH_COHORT: CohortSettings = { protocol: {}, protocolVersion: 1, scanIntervalDays: ORDER_SCAN_INTERVAL_DAYS, bodySizeMm: [350, 300, 900] };

/** The service's derivation of one patient from its stored studies (no corrections, no RECIST inputs). */
export const derive = (studies: StudyRecord[]): Derivation =>
  derivePatient({ studies, corrections: [], recist: {}, referenceDate: null, cohort: BENCH_COHORT });

/** What arriving study by study did to one patient. */
export interface PatientRun {
  patientId: string;
  final: Derivation;
  /** observation id -> predicted track id after the last study. */
  trackOf: Map<string, string>;
  /** ms of the derivation with every study. */
  ms: number;
  /** Over every arrival of a study later than all before it: observations compared, and those whose track id changed. */
  compared: number;
  relabelled: number;
  /** The same arrivals: earlier tracks compared, and those with at least one relabelled observation. */
  tracksCompared: number;
  tracksChanged: number;
  /** Arrivals of a study earlier than one already there (shuffled order): observations compared and relabelled. */
  insertedCompared: number;
  insertedRelabelled: number;
}

const trackMap = (d: Derivation): Map<string, string> =>
  new Map(d.tracks.flatMap((t) => t.points.map((p) => [p.observationId, t.trackId] as const)));

/**
 * Sends a patient's studies to the derivation one at a time, in the given arrival order, as
 * the service re-derives on every ingest; counts track ids of earlier observations that change.
 */
export function runPatient(patient: TrackingPatient, arrival: readonly StudyRecord[]): PatientRun {
  const counts = { compared: 0, relabelled: 0, tracksCompared: 0, tracksChanged: 0, insertedCompared: 0, insertedRelabelled: 0 };
  // A track id names the track's first observation, so a study inserted before it renames it by design.
  const compare = (previous: ReadonlyMap<string, string> | null, current: ReadonlyMap<string, string>, k: number): void => {
    if (!previous) return;
    const appended = arrival.slice(0, k).every((s) => compareStudies(s, arrival[k]!) < 0);
    const changed = new Set<string>();
    for (const [id, t] of previous) {
      const moved = current.get(id) !== t;
      if (!appended) { counts.insertedCompared++; if (moved) counts.insertedRelabelled++; continue; }
      counts.compared++;
      if (moved) { counts.relabelled++; changed.add(t); }
    }
    if (!appended) return;
    counts.tracksCompared += new Set(previous.values()).size;
    counts.tracksChanged += changed.size;
  };
  let previous: Map<string, string> | null = null;
  for (let k = 1; k < arrival.length; k++) {
    const current = trackMap(derive(arrival.slice(0, k)));
    compare(previous, current, k - 1);
    previous = current;
  }
  const start = performance.now();
  const final = derive([...arrival]);
  const ms = performance.now() - start;
  const trackOf = trackMap(final);
  compare(previous, trackOf, arrival.length - 1);
  return { patientId: patient.patientId, final, trackOf, ms, ...counts };
}

/** Every patient in study order, or (seed given) each in its own seeded random arrival order. */
export function runAll(data: TrackingData, shuffleSeed?: number): PatientRun[] {
  const rnd = shuffleSeed === undefined ? null : seededRandom(shuffleSeed);
  return data.patients.map((p) => runPatient(p, rnd ? shuffled(p.studies, rnd) : p.studies));
}

/** Predicted links of a study pair under the track rule: its lesions that share a predicted track. */
function pairLinks(idsA: readonly string[], idsB: readonly string[], trackOf: ReadonlyMap<string, string>): [string, string][] {
  return idsA.flatMap((x) => idsB.filter((y) => trackOf.get(x) === trackOf.get(y)).map((y) => [x, y] as [string, string]));
}

export interface TrackingScores {
  tasks: PrfSummary;
  allPairs: PrfSummary;
  /**
   * (b) restricted to study pairs that the labelled task pairs connect (same connected component
   * of the patient's graph of labelled study pairs): across components no label ever relates the
   * two studies' tracks, so a link there is scored wrong even when it is the same lesion.
   */
  connectedPairs: PrfSummary;
  /** Share of patients whose every task pair is exact. */
  patientsWithoutError: number;
}

/** (a) the file's study pairs and (b) every study pair of each patient, with `bench matching`'s track rule. */
export function scoreRuns(data: TrackingData, runs: readonly PatientRun[], truth: ReadonlyMap<string, string>): TrackingScores {
  const labels = { dls_pairs: [] as [string, string][], track: Object.fromEntries(truth) };
  const runOf = new Map(runs.map((r) => [r.patientId, r]));
  const idsOf = new Map(data.patients.map((p) => [p.patientId, new Map(p.studies.map((s) => [s.key, s.observations.map((o) => o.id)]))]));
  const score = (patientId: string, a: string, b: string): TaskCounts => {
    const ids = idsOf.get(patientId)!;
    const idsA = ids.get(a) ?? [], idsB = ids.get(b) ?? [];
    return scoreTrack(pairLinks(idsA, idsB, runOf.get(patientId)!.trackOf), labels, idsA, idsB);
  };
  const wrongPatients = new Set<string>();
  const taskCounts = data.tasks.map((t) => {
    const c = score(t.patientId, t.studyA, t.studyB);
    if (c.fp > 0 || c.fn > 0) wrongPatients.add(t.patientId);
    return c;
  });
  const component = labelledComponents(data);
  const pairCounts = data.patients.flatMap((p) =>
    p.studies.flatMap((a, i) => p.studies.slice(i + 1).map((b) => ({ connected: component(p.patientId, a.key) === component(p.patientId, b.key), c: score(p.patientId, a.key, b.key) }))),
  );
  return {
    tasks: summarize(taskCounts),
    allPairs: summarize(pairCounts.map((x) => x.c)),
    connectedPairs: summarize(pairCounts.filter((x) => x.connected).map((x) => x.c)),
    patientsWithoutError: 1 - wrongPatients.size / Math.max(1, data.patients.length),
  };
}

/** Per patient, the connected components of the graph whose nodes are studies and edges the labelled task pairs. */
function labelledComponents(data: TrackingData): (patientId: string, studyKey: string) => string {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  const key = (patientId: string, studyKey: string): string => `${patientId}\u0000${studyKey}`;
  for (const t of data.tasks) {
    const a = find(key(t.patientId, t.studyA)), b = find(key(t.patientId, t.studyB));
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  return (patientId, studyKey) => find(key(patientId, studyKey));
}

/** One matcher link of a final derivation, with whether the labels agree. */
export interface ScoredLink {
  cost: number;
  margin: number;
  confidence: number;
  correct: boolean;
}

/**
 * Matcher links between the two studies of a labelled task pair: elsewhere the labels cannot
 * tell a wrong link from one the annotators never drew.
 */
export function scoredLinks(data: TrackingData, runs: readonly PatientRun[], truth: ReadonlyMap<string, string>): ScoredLink[] {
  const annotated = new Set(data.tasks.map((t) => `${t.patientId}\u0000${t.studyA}\u0000${t.studyB}`));
  return runs.flatMap((r) => {
    const studyOf = new Map(r.final.studies.flatMap((s) => s.observations.map((o) => [o.id, s.key] as const)));
    const inTask = (x: string, y: string): boolean =>
      annotated.has(`${r.patientId}\u0000${studyOf.get(x)}\u0000${studyOf.get(y)}`) || annotated.has(`${r.patientId}\u0000${studyOf.get(y)}\u0000${studyOf.get(x)}`);
    return r.final.links
      .filter((l) => l.source === "matcher" && truth.has(l.fromObservationId) && truth.has(l.toObservationId) && inTask(l.fromObservationId, l.toObservationId))
      .map((l) => ({ cost: l.cost, margin: l.margin, confidence: l.confidence, correct: truth.get(l.fromObservationId) === truth.get(l.toObservationId) }));
  });
}

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] ?? NaN;

export interface ConfidenceSpread {
  links: number;
  quantiles: Record<"min" | "p10" | "p25" | "p50" | "p75" | "p90" | "max", number>;
  /** Error rate of the lowest-confidence 10 % of links, and of the rest. */
  lowest10ErrorRate: number;
  restErrorRate: number;
}

/** Confidence quantiles and whether the least confident links are the wrong ones. */
export function confidenceSpread(links: readonly ScoredLink[]): ConfidenceSpread {
  const byConf = [...links].sort((p, q) => p.confidence - q.confidence || p.margin - q.margin);
  const c = byConf.map((l) => l.confidence);
  const cut = Math.ceil(0.1 * byConf.length);
  const errorRate = (ls: readonly ScoredLink[]): number => (ls.length === 0 ? 0 : ls.filter((l) => !l.correct).length / ls.length);
  return {
    links: links.length,
    quantiles: { min: quantile(c, 0), p10: quantile(c, 0.1), p25: quantile(c, 0.25), p50: quantile(c, 0.5), p75: quantile(c, 0.75), p90: quantile(c, 0.9), max: quantile(c, 1) },
    lowest10ErrorRate: errorRate(byConf.slice(0, cut)),
    restErrorRate: errorRate(byConf.slice(cut)),
  };
}

export const timeStats = (xs: readonly number[]): { mean: number; p99: number; max: number } => {
  const s = [...xs].sort((p, q) => p - q);
  return { mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p99: quantile(s, 0.99), max: s[s.length - 1] ?? 0 };
};
