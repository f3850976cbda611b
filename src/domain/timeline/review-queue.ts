/**
 * The review queue of a cohort: the matcher's links most worth a person's look, read from the
 * stored timeline documents. Three lists (lowest confidence, smallest margin to the next
 * candidate, a lesion vanished while a new one appeared in the same scan), taken in turn.
 */

/** The parts of a stored timeline document the queue reads (links may lack `margin`). */
export interface QueueTimeline {
  tracks: {
    trackId: string;
    label: string;
    organ: string | null;
    lesionType: string | null;
    observations: {
      studyKey: string;
      observationId: string;
      diameterMm: number;
      positionMm: readonly number[] | null;
      positionNormalized: readonly number[] | null;
      link: { fromObservationId: string; cost: number; confidence: number; margin?: number; source: string } | null;
    }[];
  }[];
  events: { studyKey: string; type: string; trackIds: string[]; observationIds: string[] }[];
}

export type ReviewReason = "lowest confidence" | "smallest margin" | "vanished and new in one scan";

export interface ReviewItem {
  patientId: string;
  reasons: ReviewReason[];
  /** "link": the matcher joined from -> to; "candidate": from vanished, to appeared new (not linked). */
  kind: "link" | "candidate";
  trackId: string;
  trackLabel: string;
  fromObservationId: string;
  toObservationId: string;
  fromStudyKey: string;
  toStudyKey: string;
  fromDiameterMm: number;
  toDiameterMm: number;
  cost: number | null;
  confidence: number | null;
  margin: number | null;
  /** Distance between the two lesions (mm, or normalised body units when only those exist). */
  distance: number | null;
  /** Tracks the "to" observation could be moved into (none has an observation in that study). */
  moveTargets: { trackId: string; label: string }[];
}

type Obs = QueueTimeline["tracks"][number]["observations"][number];
type Track = QueueTimeline["tracks"][number];

const distanceOf = (a: Obs, b: Obs): number | null => {
  const [p, q] = a.positionMm && b.positionMm ? [a.positionMm, b.positionMm] : a.positionNormalized && b.positionNormalized ? [a.positionNormalized, b.positionNormalized] : [null, null];
  if (!p || !q) return null;
  return Math.hypot(...p.map((v, i) => v - (q[i] ?? 0)));
};

const sameKind = (a: Track, b: Track): boolean => (a.organ ?? a.lesionType) === null || (b.organ ?? b.lesionType) === null || (a.organ ?? a.lesionType) === (b.organ ?? b.lesionType);

/** Every link and vanished/new candidate of one patient, unranked. */
export function reviewCandidates(patientId: string, doc: QueueTimeline): ReviewItem[] {
  const obs = new Map<string, { o: Obs; t: Track }>();
  for (const t of doc.tracks) for (const o of t.observations) obs.set(o.observationId, { o, t });
  const moveTargets = (t: Track, studyKey: string) =>
    doc.tracks.filter((x) => x !== t && !x.observations.some((o) => o.studyKey === studyKey)).map((x) => ({ trackId: x.trackId, label: x.label }));
  const item = (kind: ReviewItem["kind"], from: { o: Obs; t: Track }, to: { o: Obs; t: Track }): ReviewItem => ({
    patientId,
    reasons: [],
    kind,
    trackId: to.t.trackId,
    trackLabel: to.t.label,
    fromObservationId: from.o.observationId,
    toObservationId: to.o.observationId,
    fromStudyKey: from.o.studyKey,
    toStudyKey: to.o.studyKey,
    fromDiameterMm: from.o.diameterMm,
    toDiameterMm: to.o.diameterMm,
    cost: kind === "link" ? to.o.link!.cost : null,
    confidence: kind === "link" ? to.o.link!.confidence : null,
    margin: kind === "link" && typeof to.o.link!.margin === "number" ? to.o.link!.margin : null,
    distance: distanceOf(from.o, to.o),
    moveTargets: moveTargets(to.t, to.o.studyKey),
  });
  const out: ReviewItem[] = [];
  for (const t of doc.tracks) {
    for (const o of t.observations) {
      const from = o.link && o.link.source !== "person" ? obs.get(o.link.fromObservationId) : undefined;
      if (from) out.push(item("link", from, { o, t }));
    }
  }
  for (const v of doc.events.filter((e) => e.type === "vanished")) {
    const gone = obs.get(v.observationIds[0] ?? "");
    for (const n of doc.events.filter((e) => e.type === "new" && e.studyKey === v.studyKey)) {
      const born = obs.get(n.observationIds[0] ?? "");
      if (gone && born && sameKind(gone.t, born.t)) out.push({ ...item("candidate", gone, born), moveTargets: [{ trackId: gone.t.trackId, label: gone.t.label }] });
    }
  }
  return out;
}

const key = (i: ReviewItem) => `${i.patientId}\u0000${i.fromObservationId}\u0000${i.toObservationId}`;

/** The `limit` items most worth a look: the three lists taken in turn, each item once (with two reasons when it tops two lists alike). */
export function rankReviewQueue(candidates: readonly ReviewItem[], limit: number): ReviewItem[] {
  const links = candidates.filter((c) => c.kind === "link");
  const lists: [ReviewReason, ReviewItem[]][] = [
    ["lowest confidence", [...links].sort((a, b) => a.confidence! - b.confidence! || b.cost! - a.cost!)],
    ["smallest margin", links.filter((l) => l.margin !== null).sort((a, b) => a.margin! - b.margin!)],
    ["vanished and new in one scan", candidates.filter((c) => c.kind === "candidate").sort((a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity))],
  ];
  const chosen = new Map<string, { item: ReviewItem; rank: number }>();
  for (let rank = 0; chosen.size < limit && lists.some(([, l]) => rank < l.length); rank++) {
    for (const [reason, list] of lists) {
      const c = list[rank];
      if (!c) continue;
      const have = chosen.get(key(c));
      // A second reason only when the item ranks as high in that list: last by margin is no reason.
      if (have) {
        if (have.rank === rank) have.item.reasons.push(reason);
      } else if (chosen.size < limit) chosen.set(key(c), { item: { ...c, reasons: [reason] }, rank });
    }
  }
  return [...chosen.values()].map((c) => c.item);
}
