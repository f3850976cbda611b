/**
 * From matched lesion tracks to the engine's contract Input, for the service: a deliberately
 * simple, documented mapping; the reader's judgement comes in through designations and flags.
 */
import { evaluateCase } from "./evaluate.ts";
import { toTenths, fromTenths } from "./exact.ts";
import { type LineageLink, resolveLineage } from "./lineage.ts";
import { DEFAULT_SLICE_THICKNESS_MM, resolveParams } from "./protocol.ts";
import type { FlagConflict, FollowUpFlags, MissingTargetMeans } from "./follow-up-flags.ts";
import type { FollowUp, Input, LesionStatus, NewLesionObs, NonTargetObs, Params, Result, TargetObs } from "./types.ts";
import { targetOrgan } from "./validate.ts";

export interface TrackSize { longAxisMm: number; shortAxisMm: number }

export interface TrackForRecist {
  trackId: string;
  organ: string;
  nodal: boolean;
  /** Size per study key; absent/undefined = the track was not seen in that study. */
  sizes: Record<string, TrackSize | undefined>;
}

export interface Designation { trackId: string; role: "target" | "non-target" }

export interface TracksArgs {
  /** In time order; the first is the baseline. Dates ISO (only the YYYY-MM-DD part is used). */
  studies: { key: string; date: string }[];
  tracks: TrackForRecist[];
  /** Baseline roles set by a person; when absent or empty, targets are proposed. */
  designations?: Designation[];
  followUpFlags?: Record<string, FollowUpFlags>;
  /** A target with no observation and no flag: not evaluated (default) or disappeared. */
  missingTargetMeans?: MissingTargetMeans;
  referenceDate?: string;
  sliceThicknessMm?: number;
  params?: Partial<Params>;
  /**
   * People's splits and merges (from the matcher's events: `lineageFromEvents` in lineage.ts).
   * Child tracks are then pieces of the lesion they descend from, not new lesions; see
   * inputFromTracks for the mapping. Absent = every track is its own lesion.
   */
  lineage?: LineageLink[];
}

export interface TracksInput { input: Input; proposed: boolean; designations: Designation[]; conflicts: FlagConflict[] }

const day = (iso: string): string => iso.slice(0, 10);
/** RECIST diameter in mm at 0.1 mm: short axis for nodes, long axis otherwise. */
const diameter = (t: { nodal: boolean }, s: TrackSize): number => fromTenths(toTenths(t.nodal ? s.shortAxisMm : s.longAxisMm));

/** Measurable as a target (§3.1): node SA >= minTargetNodeMm; other LD >= minimum and >= 2 x slice when slice > 5 mm. */
function measurable(t: TrackForRecist, d: number, p: Params, sliceMm: number): boolean {
  if (t.nodal) return toTenths(d) >= toTenths(p.minTargetNodeMm);
  return toTenths(d) >= toTenths(p.minMeasurableMm) && (toTenths(sliceMm) <= 50 || toTenths(d) >= 2 * toTenths(sliceMm));
}

/**
 * iRECIST §13.1: a new lesion is classed once, when it is first seen, as a new-lesion target
 * (measurable by the RECIST rules, at most maxTargets in all and maxTargetsPerOrgan per organ)
 * or a new-lesion non-target, and keeps that class, as a baseline target stays a target when it
 * shrinks. Deciding it again at every scan would drop an NLT from the NLT sum once it shrank
 * under 10 mm, and its regrowth from that nadir would then never count as progression.
 * Lesions first seen at the same scan compete largest first (ties by id).
 */
interface NewLesionClasses { isTarget: Map<string, boolean>; perOrgan: Map<string, number>; total: number }
function classifyNewLesions(sighted: readonly { track: TrackForRecist; d: number | null }[], classes: NewLesionClasses, p: Params, sliceMm: number): void {
  const firstSeen = sighted.filter((s): s is { track: TrackForRecist; d: number } => s.d !== null && !classes.isTarget.has(s.track.trackId))
    .sort((a, b) => b.d - a.d || (a.track.trackId < b.track.trackId ? -1 : a.track.trackId > b.track.trackId ? 1 : 0));
  for (const { track, d } of firstSeen) {
    const organ = targetOrgan(track);
    const target = measurable(track, d, p, sliceMm) && classes.total < p.maxTargets && (classes.perOrgan.get(organ) ?? 0) < p.maxTargetsPerOrgan;
    classes.isTarget.set(track.trackId, target);
    if (target) { classes.total++; classes.perOrgan.set(organ, (classes.perOrgan.get(organ) ?? 0) + 1); }
  }
}

/** Targets by §3.2: measurable lesions, largest first (ties by id), at most maxTargetsPerOrgan per organ and maxTargets in total. */
export function proposeDesignations(baselineTracks: readonly { track: TrackForRecist; d: number }[], p: Params, sliceMm: number): Designation[] {
  const perOrgan = new Map<string, number>();
  const chosen = new Set<string>();
  const ranked = [...baselineTracks].sort((a, b) => b.d - a.d || a.track.trackId.localeCompare(b.track.trackId));
  for (const { track, d } of ranked) {
    const organ = targetOrgan(track);
    if (chosen.size >= p.maxTargets || (perOrgan.get(organ) ?? 0) >= p.maxTargetsPerOrgan || !measurable(track, d, p, sliceMm)) continue;
    chosen.add(track.trackId);
    perOrgan.set(organ, (perOrgan.get(organ) ?? 0) + 1);
  }
  return baselineTracks.map(({ track }) => ({ trackId: track.trackId, role: chosen.has(track.trackId) ? "target" : "non-target" }));
}

/**
 * Builds the contract Input from tracks. First study = baseline; sizes are the LD (short axis for
 * nodes) rounded to 0.1 mm. A target missing at a follow-up is not evaluated, or has disappeared
 * with `missingTargetMeans: "disappeared"`, unless flagged either way; a track first seen
 * after baseline is a new lesion (a node only once its SA >= pathologicalNodeMm), listed from then
 * on (absent once gone); non-targets are present when seen (nodes: SA >= pathologicalNodeMm), else
 * absent; flags override, except a flag that contradicts a measurement at that study (`conflicts`:
 * the measurement is used). An equivocal new lesion stays equivocal while absent (§8.3). Without designations, targets are proposed by §3.2 (`proposed: true`).
 *
 * Splits and merges (`lineage`, spec §4): a child track stands for the baseline lesion(s) it
 * descends from, followed transitively (a split child that later merges, a merged lesion that
 * later splits...). At each follow-up a lesion's "pieces" are its descendants that have started
 * and not yet ended there (a parent ends where its children start). A piece descending from
 * several targets is carried by the first of them (track order); the others are
 * `merged` into it while that piece is seen. So for a target:
 *  - one piece carried (itself, or a merged lesion) -> `measured` with its size;
 *  - several pieces carried (a split) -> `measured` with `fragments`, one per piece, an unseen
 *    piece 0; no carried piece seen but one carried by another target seen -> `merged` into that
 *    target; nothing seen -> `missingTargetMeans`.
 * A non-target is present while any of its pieces is seen (a merge with a target included). A
 * track first seen after baseline with no parent is a new lesion and its descendants are its
 * pieces (present while any is seen, size = the sum); children are never new lesions themselves.
 * Children of baseline lesions that are not recorded (normal nodes) are ignored, as those are.
 * Flags (FollowUpFlags) name the baseline / new lesion's own track id.
 */
export function inputFromTracks(args: TracksArgs): TracksInput {
  const p = resolveParams(args.params);
  const sliceMm = args.sliceThicknessMm ?? DEFAULT_SLICE_THICKNESS_MM;
  const [first, ...later] = args.studies;
  if (first === undefined) {
    // No study yet: an empty baseline, which the engine reports as NO_BASELINE_DISEASE.
    return { input: { baseline: { date: "", targets: [], nonTargets: [] }, followUps: [] }, proposed: true, designations: [], conflicts: [] };
  }
  const node = toTenths(p.pathologicalNodeMm);
  // Nodes below the pathological size are normal and not recorded at all (§3.1).
  const isDisease = (t: TrackForRecist, d: number): boolean => !t.nodal || toTenths(d) >= node;
  const atBaseline = args.tracks.flatMap((track) => {
    const s = track.sizes[first.key];
    return s === undefined ? [] : [{ track, d: diameter(track, s) }];
  });
  const proposed = (args.designations ?? []).length === 0;
  const given = new Map((args.designations ?? []).map((x) => [x.trackId, x.role]));
  const designations: Designation[] = proposed
    ? proposeDesignations(atBaseline.filter((b) => isDisease(b.track, b.d)), p, sliceMm)
    : atBaseline.filter((b) => given.get(b.track.trackId) === "target" || isDisease(b.track, b.d))
      .map((b) => ({ trackId: b.track.trackId, role: given.get(b.track.trackId) ?? "non-target" }));
  const role = new Map(designations.map((x) => [x.trackId, x.role]));
  const targets = atBaseline.filter((b) => role.get(b.track.trackId) === "target");
  const nonTargets = atBaseline.filter((b) => role.get(b.track.trackId) === "non-target");
  const baselineIds = new Set(atBaseline.map((b) => b.track.trackId));
  const recordedNew = new Set<string>();
  /** NLT (true) or NLNT (false) of each new lesion, fixed at its first sighting (§13.1). */
  const newLesionClasses: NewLesionClasses = { isTarget: new Map(), perOrgan: new Map(), total: 0 };
  const byId = new Map(args.tracks.map((t) => [t.trackId, t]));
  const studyKeys = args.studies.map((s) => s.key);
  const lineage = resolveLineage(args.tracks.map((t) => t.trackId), studyKeys, args.lineage ?? [], (id) => {
    const k = studyKeys.findIndex((key) => byId.get(id)?.sizes[key] !== undefined);
    return k < 0 ? undefined : k;
  });
  const targetIds = new Set(targets.map((t) => t.track.trackId));
  /** The target that carries a piece's size: the first target it descends from. */
  const carrier = (pieceId: string): string | undefined => lineage.roots(pieceId).find((r) => targetIds.has(r));
  const sizeAt = (id: string, key: string): TrackSize | undefined => byId.get(id)?.sizes[key];
  /** A piece seen as disease at a study (nodes: SA >= pathologicalNodeMm). */
  const diseaseAt = (id: string, key: string): number | null => {
    const t = byId.get(id);
    const s = sizeAt(id, key);
    if (t === undefined || s === undefined) return null;
    const d = diameter(t, s);
    return isDisease(t, d) ? d : null;
  };

  const conflicts: FlagConflict[] = [];
  /** Last equivocal flag of each new lesion where it was seen: carried while it is absent (§8.3). */
  const equivocalWhenSeen = new Map<string, boolean>();
  const followUps = later.map((study, i): FollowUp => {
    const k = i + 1;
    const flags = args.followUpFlags?.[study.key] ?? {};
    const has = (list: string[] | undefined, id: string): boolean => list?.includes(id) ?? false;
    /** A flag that says "not there" or "not looked at" where a lesion was measured: the measurement wins. */
    const contradicted = (id: string, flag: FlagConflict["flag"], seenMm: number | null, message: string): boolean => {
      if (seenMm === null) return false;
      conflicts.push({ studyKey: study.key, trackId: id, flag, message: `${message} (measured ${seenMm} mm at this study)` });
      return true;
    };
    const targetObs = targets.map(({ track }): TargetObs => {
      const id = track.trackId;
      const pieces = lineage.pieces(id, k);
      const carried = pieces.filter((p) => carrier(p) === id);
      const sizes = carried.map((p) => sizeAt(p, study.key));
      const seen = sizes.some((s) => s !== undefined);
      const seenMm = seen ? fromTenths(sizes.reduce((a, s) => a + (s === undefined ? 0 : toTenths(diameter(track, s))), 0)) : null;
      if (has(flags.notEvaluated, id) && !contradicted(id, "notEvaluated", seenMm, "flagged not evaluated but measured")) return { id, status: "not_evaluated" };
      if (has(flags.disappeared, id) && !contradicted(id, "disappeared", seenMm, "flagged disappeared but measured")) return { id, status: "disappeared" };
      const tooBig = seenMm !== null && toTenths(seenMm) >= toTenths(p.minMeasurableMm) ? seenMm : null;
      if (has(flags.tooSmallToMeasure, id) && !contradicted(id, "tooSmallToMeasure", tooBig, `flagged too small to measure but measured >= ${p.minMeasurableMm} mm`)) return { id, status: "tstm" };
      if (seen) {
        const mm = sizes.map((s) => (s === undefined ? 0 : diameter(track, s)));
        return mm.length === 1 ? { id, status: "measured", value: mm[0]! } : { id, status: "measured", fragments: mm };
      }
      const into = pieces.find((p) => carrier(p) !== id && sizeAt(p, study.key) !== undefined);
      if (into !== undefined) return { id, status: "merged", mergedInto: carrier(into)! };
      return { id, status: args.missingTargetMeans ?? "not_evaluated" };
    });
    /** Status of a non-target or new lesion: reader's flags first, unless a measurement contradicts them. */
    const statusOf = (id: string, seenMm: number | null): LesionStatus => {
      const given = flags.nonTargetStatus?.[id];
      if (given !== undefined && !(given === "absent" && contradicted(id, "nonTargetStatus", seenMm, "status absent but measured"))) return given;
      if (has(flags.notEvaluated, id) && !contradicted(id, "notEvaluated", seenMm, "flagged not evaluated but measured")) return "not_evaluated";
      if (has(flags.disappeared, id) && !contradicted(id, "disappeared", seenMm, "flagged disappeared but measured")) return "absent";
      return seenMm !== null ? "present" : "absent";
    };
    const increased = (id: string) => (has(flags.increasedSinceLast, id) ? { increasedSinceLast: true } : {});
    const nonTargetObs = nonTargets.map(({ track }): NonTargetObs => {
      const seenAt = lineage.pieces(track.trackId, k).map((p) => diseaseAt(p, study.key)).find((d) => d !== null);
      return { id: track.trackId, status: statusOf(track.trackId, seenAt ?? null), ...increased(track.trackId) };
    });
    const newLesions: NewLesionObs[] = [];
    const sighted = args.tracks.flatMap((track) => {
      if (baselineIds.has(track.trackId) || lineage.hasParents(track.trackId)) return [];
      const seenPieces = lineage.pieces(track.trackId, k).flatMap((p) => {
        const d = diseaseAt(p, study.key);
        return d === null ? [] : [toTenths(d)];
      });
      const d = seenPieces.length > 0 ? fromTenths(seenPieces.reduce((a, b) => a + b, 0)) : null;
      return d === null && !recordedNew.has(track.trackId) ? [] : [{ track, d }];
    });
    classifyNewLesions(sighted, newLesionClasses, p, sliceMm);
    for (const { track, d } of sighted) {
      const seen = d !== null;
      recordedNew.add(track.trackId);
      const status = statusOf(track.trackId, d);
      // An NLT that was not looked at is left out of the NLT sum rather than counted as 0 mm.
      const isMeasurable = newLesionClasses.isTarget.get(track.trackId) === true && (seen || status === "absent");
      // Confirmed only when seen again without the flag; while absent the last state is carried.
      const equivocal = seen ? has(flags.equivocalNew, track.trackId) : (equivocalWhenSeen.get(track.trackId) ?? false) || has(flags.equivocalNew, track.trackId);
      if (seen) equivocalWhenSeen.set(track.trackId, equivocal);
      newLesions.push({
        id: track.trackId, organ: track.organ, equivocal,
        measurable: isMeasurable, ...(isMeasurable && d !== null ? { value: d } : {}), status, ...increased(track.trackId),
      });
    }
    return {
      date: day(study.date),
      ...(flags.tumorMarkersAboveNormal !== undefined ? { tumorMarkersAboveNormal: flags.tumorMarkersAboveNormal } : {}),
      ...(flags.symptomDriven !== undefined ? { symptomDriven: flags.symptomDriven } : {}),
      targets: targetObs, nonTargets: nonTargetObs, newLesions,
    };
  });

  const input: Input = {
    ...(args.referenceDate !== undefined ? { referenceDate: day(args.referenceDate) } : {}),
    baseline: {
      date: day(first.date),
      ...(args.sliceThicknessMm !== undefined ? { sliceThicknessMm: args.sliceThicknessMm } : {}),
      targets: targets.map(({ track, d }) => ({ id: track.trackId, organ: track.organ, nodal: track.nodal, value: d })),
      nonTargets: nonTargets.map(({ track }) => ({ id: track.trackId, organ: track.organ, nodal: track.nodal })),
    },
    followUps,
  };
  return { input, proposed, designations, conflicts };
}

/** Builds the Input from tracks and runs the engine: the service's one call for a patient's RECIST. */
export function assessTracks(args: TracksArgs): { result: Result; input: Input; proposed: boolean; designations: Designation[]; conflicts: FlagConflict[] } {
  const { input, proposed, designations, conflicts } = inputFromTracks(args);
  return { result: evaluateCase({ params: args.params ?? {}, input }), input, proposed, designations, conflicts };
}
